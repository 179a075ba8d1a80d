package org.ternmq.broker.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.ternmq.broker.BrokerSetting;
import org.ternmq.broker.policy.PolicyRepository;
import org.ternmq.broker.policy.PolicySetting;
import org.ternmq.broker.policy.WildcardPattern;
import org.ternmq.broker.security.Permission;
import org.ternmq.broker.security.Permissions;
import java.util.Set;

/**
 * Reads the broker's configuration file, a properties file holding broker settings by their
 * {@link BrokerSetting} keys and destination policies in named blocks:
 *
 * <pre>
 * port=61616
 * policy.default.redelivery-delay=1000        # applies to every destination (pattern #)
 * policy.orders.match=orders.#                # a block named "orders" for destinations orders, orders.*...
 * policy.orders.max-delivery-attempts=5
 * </pre>
 *
 * Every problem in the file is collected and reported at once.
 */
public final class ConfigFile {

    /** What the file says: broker settings (as text) and the policy repository. */
    public record Contents(Map<BrokerSetting, String> settings, PolicyRepository policies,
                           Map<String, String> loginOptions, List<Permissions.Entry> permissions) {
    }

    private ConfigFile() {
    }

    /** @throws IllegalArgumentException listing every invalid or unknown entry, with the file's name */
    public static Contents read(Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        Contents contents = read(file, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return contents;
    }

    /**
     * Reads what is valid in {@code file} and adds each problem (unknown key, bad value, each prefixed with the
     * file's name) to {@code problems}, so the caller can report them together with the settings' own.
     */
    public static Contents read(Path file, List<String> problems) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        return parse(props, file.toString(), problems);
    }

    /** Reads settings and policies from {@code props}; {@code source} names them in error messages. */
    public static Contents parse(Properties props, String source) {
        List<String> problems = new ArrayList<>();
        Contents contents = parse(props, source, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return contents;
    }

    /** As {@link #parse(Properties, String)}, adding the problems to {@code found} instead of throwing. */
    public static Contents parse(Properties props, String source, List<String> found) {
        List<String> problems = new ArrayList<>();
        Map<BrokerSetting, String> settings = new EnumMap<>(BrokerSetting.class);
        Map<String, String> matches = new LinkedHashMap<>();
        Map<String, Map<PolicySetting, Object>> blocks = new LinkedHashMap<>();
        Map<String, String> loginOptions = new LinkedHashMap<>();
        Map<String, String> permissionMatches = new LinkedHashMap<>();
        Map<String, Map<Permission, Set<String>>> permissionBlocks = new LinkedHashMap<>();
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            String value = props.getProperty(key).trim();
            if (key.startsWith("policy.")) {
                readPolicyEntry(key, value, matches, blocks, problems);
            } else if (key.startsWith("permission.")) {
                readPermissionEntry(key, value, permissionMatches, permissionBlocks, problems);
            } else if (key.startsWith("login.") && key.length() > "login.".length()) {
                loginOptions.put(key.substring("login.".length()), value);
            } else {
                BrokerSetting s = brokerSetting(key);
                if (s == null) {
                    problems.add("unknown setting '" + key + "'");
                } else {
                    settings.put(s, value);
                }
            }
        }
        List<PolicyRepository.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Map<PolicySetting, Object>> block : blocks.entrySet()) {
            String name = block.getKey();
            String pattern = name.equals("default") ? "#" : matches.get(name);
            if (pattern == null) {
                problems.add("policy block '" + name + "' needs policy." + name + ".match=<pattern>");
                continue;
            }
            try {
                entries.add(new PolicyRepository.Entry(WildcardPattern.parse(pattern), block.getValue()));
            } catch (IllegalArgumentException e) {
                problems.add("policy." + name + ".match: " + e.getMessage());
            }
        }
        for (String name : matches.keySet()) {
            if (!blocks.containsKey(name)) {
                try {
                    entries.add(new PolicyRepository.Entry(WildcardPattern.parse(matches.get(name)), Map.of()));
                } catch (IllegalArgumentException e) {
                    problems.add("policy." + name + ".match: " + e.getMessage());
                }
            }
        }
        List<Permissions.Entry> permissions = new ArrayList<>();
        for (Map.Entry<String, Map<Permission, Set<String>>> block : permissionBlocks.entrySet()) {
            String name = block.getKey();
            String pattern = name.equals("default") ? "#" : permissionMatches.get(name);
            if (pattern == null) {
                problems.add("permission block '" + name + "' needs permission." + name + ".match=<pattern>");
                continue;
            }
            try {
                permissions.add(new Permissions.Entry(WildcardPattern.parse(pattern), block.getValue()));
            } catch (IllegalArgumentException e) {
                problems.add("permission." + name + ".match: " + e.getMessage());
            }
        }
        for (String name : permissionMatches.keySet()) {
            if (!permissionBlocks.containsKey(name)) {
                problems.add("permission block '" + name + "' grants nothing");
            }
        }
        for (String p : problems) {
            found.add(source + ": " + p);
        }
        return new Contents(settings, new PolicyRepository(entries), loginOptions, permissions);
    }

    private static void readPolicyEntry(String key, String value, Map<String, String> matches,
                                        Map<String, Map<PolicySetting, Object>> blocks, List<String> problems) {
        String rest = key.substring("policy.".length());
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) {
            problems.add("'" + key + "' should be policy.<block>.<setting>");
            return;
        }
        String block = rest.substring(0, dot);
        String setting = rest.substring(dot + 1);
        if (setting.equals("match")) {
            if (block.equals("default")) {
                problems.add("policy.default always matches every destination; it takes no match");
            } else {
                matches.put(block, value);
            }
            return;
        }
        try {
            PolicySetting s = PolicySetting.forKey(setting);
            blocks.computeIfAbsent(block, b -> new EnumMap<>(PolicySetting.class)).put(s, s.parse(value));
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
        }
    }

    private static void readPermissionEntry(String key, String value, Map<String, String> matches,
                                            Map<String, Map<Permission, Set<String>>> blocks, List<String> problems) {
        String rest = key.substring("permission.".length());
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) {
            problems.add("'" + key + "' should be permission.<block>.<permission>");
            return;
        }
        String block = rest.substring(0, dot);
        String what = rest.substring(dot + 1);
        if (what.equals("match")) {
            if (block.equals("default")) {
                problems.add("permission.default always matches every destination; it takes no match");
            } else {
                matches.put(block, value);
            }
            return;
        }
        try {
            Permission p = Permission.forKey(what);
            Set<String> roles = new java.util.LinkedHashSet<>();
            for (String role : value.split(",")) {
                if (!role.isBlank()) {
                    roles.add(role.trim());
                }
            }
            blocks.computeIfAbsent(block, b -> new EnumMap<>(Permission.class)).put(p, roles);
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
        }
    }

    private static BrokerSetting brokerSetting(String key) {
        for (BrokerSetting s : BrokerSetting.values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }
}
