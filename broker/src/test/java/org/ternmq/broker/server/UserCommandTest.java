package org.ternmq.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.security.UserCredentials;
import org.ternmq.broker.security.UsersFile;

/** {@code tern user}: passwords from the environment or a prompt, never the command line; the file it writes. */
class UserCommandTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, UserCommand.PasswordPrompt prompt, String... args) {
        out.reset();
        err.reset();
        return UserCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, prompt);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static UserCommand.PasswordPrompt typed(String... answers) {
        Deque<String> queue = new ArrayDeque<>(java.util.List.of(answers));
        return p -> queue.isEmpty() ? null : queue.poll().toCharArray();
    }

    @Test
    void addPasswdRemoveEditTheFileWithHashes() throws Exception {
        Path file = dir.resolve("users.properties");
        String f = file.toString();
        assertThat(run(Map.of("PW", "first"), null, "add", "alice", "--users", f, "--roles", "admin,ops",
                "--password-env", "PW", "--iterations", "1000")).isZero();
        UserCredentials alice = UsersFile.read(file).get("alice");
        assertThat(alice.roles()).containsExactly("admin", "ops");
        assertThat(alice.password().matches("first".toCharArray())).isTrue();
        assertThat(Files.readString(file)).doesNotContain("first");

        assertThat(run(Map.of(), typed("second", "second"), "passwd", "alice", "--users", f, "--iterations", "1000")).isZero();
        alice = UsersFile.read(file).get("alice");
        assertThat(alice.password().matches("second".toCharArray())).isTrue();
        assertThat(alice.roles()).containsExactly("admin", "ops");

        assertThat(run(Map.of("PW", "x"), null, "add", "alice", "--users", f, "--password-env", "PW")).isEqualTo(1);
        assertThat(err()).contains("user 'alice' exists");

        assertThat(run(Map.of(), null, "remove", "alice", "--users", f)).isZero();
        assertThat(UsersFile.read(file)).isEmpty();
        assertThat(run(Map.of(), null, "remove", "alice", "--users", f)).isEqualTo(1);
        assertThat(err()).contains("no user 'alice'");
    }

    @Test
    void aPasswordIsNeverTakenFromTheCommandLine() {
        String f = dir.resolve("u").toString();
        assertThat(run(Map.of(), typed("a", "a"), "add", "bob", "--users", f, "--password", "secret")).isEqualTo(2);
        assertThat(err()).contains("a password on the command line is visible");
        assertThat(run(Map.of(), null, "add", "bob", "--users", f)).isEqualTo(2);
        assertThat(err()).contains("there is no terminal to prompt on").contains("--password-env");
        assertThat(run(Map.of(), typed("a", "b"), "add", "bob", "--users", f)).isEqualTo(2);
        assertThat(err()).contains("the two passwords differ");
        assertThat(run(Map.of(), null, "add", "bob", "--users", f, "--password-env", "NOPE")).isEqualTo(2);
        assertThat(err()).contains("environment variable NOPE is not set");
        assertThat(Files.exists(dir.resolve("u"))).isFalse();
    }

    @Test
    void migrateHashesAnOldClearTextFileInPlace() throws Exception {
        Path file = dir.resolve("old.properties");
        Files.writeString(file, "alice=secret,admin\nbob=pw\n");
        assertThat(run(Map.of(), null, "migrate", "--users", file.toString(), "--iterations", "1000")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("hashed 2 clear-text passwords");
        Map<String, UserCredentials> users = UsersFile.read(file);
        assertThat(users.get("alice").password().matches("secret".toCharArray())).isTrue();
        assertThat(users.get("alice").roles()).containsExactly("admin");
        assertThat(users.get("bob").password().matches("pw".toCharArray())).isTrue();
        assertThat(Files.readString(file)).doesNotContain("secret");
    }
}
