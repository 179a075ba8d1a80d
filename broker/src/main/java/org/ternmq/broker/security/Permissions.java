package org.ternmq.broker.security;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ternmq.broker.policy.PolicyRepository;
import org.ternmq.broker.policy.PolicySetting;
import org.ternmq.broker.policy.WildcardPattern;

/**
 * Which roles hold which {@link Permission} on which destinations, in the policy file's wildcard syntax:
 *
 * <pre>
 * permission.orders.match=orders.#
 * permission.orders.send=shop,backoffice
 * permission.orders.consume=backoffice
 * </pre>
 *
 * Each permission of a destination comes from the most specific block that matches its name and sets that
 * permission, as policies do; a block named {@code default} matches every destination. {@code *} grants a
 * permission to every connected user (anonymous ones too, where the broker lets them in); an empty value to
 * nobody. Users with the {@value Authenticator#ADMIN_ROLE} role hold every permission everywhere.
 *
 * <p>Unless the file says otherwise: every user may send, consume, browse, create and delete durable
 * subscriptions and create temporary destinations; {@code manage} is for administrators only; the dead-letter
 * and expiry queues (every name the policies give, {@code DLQ} and {@code ExpiryQueue} by default) are for
 * administrators only, so one user cannot read what failed for another.
 *
 * <p>Immutable apart from its cache; thread-safe.
 */
public final class Permissions {

    /** Grants to everyone connected. */
    public static final String EVERYONE = "*";

    /** One configured block: a pattern and the roles it gives each permission it sets. */
    public record Entry(WildcardPattern pattern, Map<Permission, Set<String>> grants) {
        public Entry {
            grants = Map.copyOf(grants);
        }
    }

    private final List<Entry> mostSpecificFirst;
    /** Concurrent: one config (and so this) may serve several brokers of a JVM, each with its own agent thread. */
    private final Map<String, Map<Permission, Set<String>>> cache = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param configured the file's blocks; built-in defaults (see the class comment) are added below them */
    public Permissions(List<Entry> configured, PolicyRepository policies) {
        List<Entry> all = new ArrayList<>(configured);
        for (String name : deadLetterAndExpiryNames(policies)) {
            Map<Permission, Set<String>> adminOnly = new EnumMap<>(Permission.class);
            for (Permission p : Permission.values()) {
                adminOnly.put(p, Set.of());
            }
            all.add(new Entry(WildcardPattern.parse(name), adminOnly));
        }
        Map<Permission, Set<String>> open = new EnumMap<>(Permission.class);
        for (Permission p : Permission.values()) {
            open.put(p, p == Permission.MANAGE ? Set.of() : Set.of(EVERYONE));
        }
        all.add(new Entry(WildcardPattern.parse("#"), open));
        // stable: among equal patterns the configured block comes before the built-in one
        all.sort((a, b) -> a.pattern().compareTo(b.pattern()));
        this.mostSpecificFirst = List.copyOf(all);
    }

    /** Only the built-in defaults. */
    public static Permissions defaults(PolicyRepository policies) {
        return new Permissions(List.of(), policies);
    }

    private static Set<String> deadLetterAndExpiryNames(PolicyRepository policies) {
        Set<String> names = new LinkedHashSet<>();
        names.add(PolicySetting.DEAD_LETTER_DESTINATION.defaultValue());
        names.add(PolicySetting.EXPIRY_DESTINATION.defaultValue());
        for (PolicyRepository.Entry e : policies.entries()) {
            for (PolicySetting s : List.of(PolicySetting.DEAD_LETTER_DESTINATION, PolicySetting.EXPIRY_DESTINATION)) {
                Object name = e.settings().get(s);
                if (name instanceof String n && !n.isBlank()) {
                    names.add(n);
                }
            }
        }
        return names;
    }

    /** The roles holding {@code permission} on {@code destination} ({@link #EVERYONE} for all). */
    public Set<String> roles(Permission permission, String destination) {
        if (cache.size() > 100_000) {
            cache.clear();   // temporary destinations come and go: bound the cache
        }
        return cache.computeIfAbsent(destination, this::resolve).getOrDefault(permission, Set.of());
    }

    /** Whether {@code user} holds {@code permission} on {@code destination} (administrators hold every one). */
    public boolean allows(AuthenticatedUser user, Permission permission, String destination) {
        if (user.hasRole(Authenticator.ADMIN_ROLE)) {
            return true;
        }
        Set<String> roles = roles(permission, destination);
        if (roles.contains(EVERYONE)) {
            return true;
        }
        for (String role : user.roles()) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    private Map<Permission, Set<String>> resolve(String name) {
        Map<Permission, Set<String>> grants = new EnumMap<>(Permission.class);
        for (Entry e : mostSpecificFirst) {
            if (e.pattern().matches(name)) {
                e.grants().forEach(grants::putIfAbsent);
            }
        }
        return grants;
    }
}
