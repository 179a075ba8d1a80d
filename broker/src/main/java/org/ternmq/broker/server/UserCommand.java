package org.ternmq.broker.server;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ternmq.broker.security.AuditLog;
import org.ternmq.broker.security.PasswordHash;
import org.ternmq.broker.security.UsersFile;

/**
 * {@code tern user add|remove|passwd|migrate|list --users FILE ...}: edits the users file. A password comes
 * from a prompt (twice, not echoed) or from the environment variable {@code --password-env} names, never
 * from the command line, where other users of the machine could read it in the process list.
 *
 * <p>Self-contained: {@link #run} is the whole command, so any command-line front end can call it.
 */
public final class UserCommand {

    /** Reads a password without echo; null when the user gave none. */
    @FunctionalInterface
    public interface PasswordPrompt {
        char[] read(String prompt);
    }

    private UserCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Console console = System.console();
        return run(args, out, err, System.getenv(), console == null ? null : p -> console.readPassword("%s", p));
    }

    /**
     * @param env    the environment ({@code --password-env} reads it)
     * @param prompt the terminal, or null when there is none
     * @return the exit status: 0 done, 1 failed, 2 bad usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, PasswordPrompt prompt) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            help(out);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Map<String, String> options = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--password") || a.startsWith("--password=")) {
                err.println("tern user: a password on the command line is visible to every user of the machine; "
                        + "type it at the prompt or pass --password-env VARIABLE");
                return 2;
            }
            if (a.startsWith("--")) {
                if (i + 1 >= args.length) {
                    err.println("tern user: option " + a + " needs a value");
                    return 2;
                }
                options.put(a.substring(2), args[++i]);
            } else {
                names.add(a);
            }
        }
        for (String key : options.keySet()) {
            if (!List.of("users", "roles", "iterations", "password-env").contains(key)) {
                err.println("tern user: unknown option --" + key);
                return 2;
            }
        }
        String file = options.get("users");
        if (file == null) {
            err.println("tern user: --users FILE is required");
            return 2;
        }
        try {
            return switch (command) {
                case "add", "passwd" -> setPassword(command, Path.of(file), one(names), options, env, prompt, out, err);
                case "remove" -> remove(Path.of(file), one(names), out, err);
                case "migrate" -> migrate(Path.of(file), options, out);
                case "list" -> list(Path.of(file), out);
                default -> {
                    err.println("tern user: unknown command '" + command + "' (add, remove, passwd, migrate, list)");
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("tern user: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("tern user: " + file + ": " + e);
            return 1;
        }
    }

    private static String one(List<String> names) {
        if (names.size() != 1) {
            throw new IllegalArgumentException("give exactly one user name, got " + names);
        }
        return names.get(0);
    }

    private static int setPassword(String command, Path file, String name, Map<String, String> options,
                                   Map<String, String> env, PasswordPrompt prompt, PrintStream out, PrintStream err)
            throws IOException {
        if (name.isBlank() || name.contains(",")) {
            throw new IllegalArgumentException("bad user name '" + name + "'");
        }
        Map<String, UsersFile.Entry> entries = Files.exists(file) ? UsersFile.readEntries(file) : new LinkedHashMap<>();
        UsersFile.Entry existing = entries.get(name);
        if (command.equals("add") && existing != null) {
            err.println("tern user: user '" + name + "' exists; use 'tern user passwd' to change the password");
            return 1;
        }
        if (command.equals("passwd") && existing == null) {
            err.println("tern user: no user '" + name + "' in " + file);
            return 1;
        }
        int iterations = iterations(options);
        char[] password = password(name, options, env, prompt);
        if (password == null) {
            err.println("tern user: no password: there is no terminal to prompt on; set one in an environment "
                    + "variable and name it with --password-env");
            return 2;
        }
        if (password.length == 0) {
            err.println("tern user: the password must not be empty");
            return 2;
        }
        List<String> roles = options.containsKey("roles") ? roles(options.get("roles"))
                : existing != null ? existing.roles() : List.of();
        PasswordHash hash = PasswordHash.create(password, iterations);
        Arrays.fill(password, '\0');
        entries.put(name, new UsersFile.Entry(hash.format(), roles));
        UsersFile.write(file, entries);
        AuditLog.userCommand(command, name, file.toString());
        out.println((command.equals("add") ? "added user '" : "changed the password of '") + name + "'"
                + (roles.isEmpty() ? "" : " (roles " + String.join(",", roles) + ")") + " in " + file);
        return 0;
    }

    private static char[] password(String name, Map<String, String> options, Map<String, String> env,
                                   PasswordPrompt prompt) {
        String variable = options.get("password-env");
        if (variable != null) {
            String value = env.get(variable);
            if (value == null) {
                throw new IllegalArgumentException("environment variable " + variable + " is not set");
            }
            return value.toCharArray();
        }
        if (prompt == null) {
            return null;
        }
        char[] first = prompt.read("Password for " + name + ": ");
        char[] second = prompt.read("Again: ");
        if (first == null || second == null) {
            return null;
        }
        if (!Arrays.equals(first, second)) {
            throw new IllegalArgumentException("the two passwords differ; nothing changed");
        }
        Arrays.fill(second, '\0');
        return first;
    }

    private static int iterations(Map<String, String> options) {
        String text = options.getOrDefault("iterations", String.valueOf(PasswordHash.DEFAULT_ITERATIONS));
        try {
            int n = Integer.parseInt(text);
            if (n >= PasswordHash.MIN_ITERATIONS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--iterations must be a number of at least " + PasswordHash.MIN_ITERATIONS
                + ", was '" + text + "'");
    }

    private static List<String> roles(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static int remove(Path file, String name, PrintStream out, PrintStream err) throws IOException {
        Map<String, UsersFile.Entry> entries = existing(file);
        if (entries.remove(name) == null) {
            err.println("tern user: no user '" + name + "' in " + file);
            return 1;
        }
        UsersFile.write(file, entries);
        AuditLog.userCommand("remove", name, file.toString());
        out.println("removed user '" + name + "' from " + file);
        return 0;
    }

    /** Hashes every clear-text password of the file in place (the format before hashing). */
    private static int migrate(Path file, Map<String, String> options, PrintStream out) throws IOException {
        int iterations = iterations(options);
        Map<String, UsersFile.Entry> entries = existing(file);
        int hashed = 0;
        for (Map.Entry<String, UsersFile.Entry> e : entries.entrySet()) {
            if (!e.getValue().hashed()) {
                char[] clear = e.getValue().credential().toCharArray();
                e.setValue(new UsersFile.Entry(PasswordHash.create(clear, iterations).format(), e.getValue().roles()));
                Arrays.fill(clear, '\0');
                hashed++;
            }
        }
        if (hashed > 0) {
            UsersFile.write(file, entries);
            AuditLog.userCommand("migrate", hashed + " users", file.toString());
        }
        out.println("hashed " + hashed + " clear-text password" + (hashed == 1 ? "" : "s") + " in " + file);
        return 0;
    }

    private static int list(Path file, PrintStream out) throws IOException {
        for (Map.Entry<String, UsersFile.Entry> e : existing(file).entrySet()) {
            out.println(e.getKey() + "  roles=" + String.join(",", e.getValue().roles())
                    + (e.getValue().hashed() ? "" : "  CLEAR-TEXT (run 'tern user migrate')"));
        }
        return 0;
    }

    private static Map<String, UsersFile.Entry> existing(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("users file " + file + " does not exist");
        }
        return UsersFile.readEntries(file);
    }

    static void help(PrintStream out) {
        out.println("Usage: tern user COMMAND --users FILE [options] [NAME]");
        out.println("Edits a users file (created by the first add). The password is read from the terminal, or from");
        out.println("the environment variable named by --password-env; never from the command line.");
        out.println();
        out.println("  add NAME [--roles r1,r2]      adds a user");
        out.println("  passwd NAME [--roles r1,r2]   sets a user's password (and roles, if given)");
        out.println("  remove NAME                   removes a user");
        out.println("  migrate                       hashes every clear-text password of an older users file in place");
        out.println("  list                          lists the users and their roles");
        out.println();
        out.println("  --password-env VARIABLE       read the password from this environment variable");
        out.println("  --iterations N                PBKDF2 iterations (default " + PasswordHash.DEFAULT_ITERATIONS + ")");
    }
}
