package org.ternmq.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;

/** The command line's security settings: users file, --allow-anonymous as a flag, the non-loopback rule. */
class TernServerSecurityTest {

    @TempDir
    Path dir;

    private static BrokerConfig config(String... args) throws Exception {
        return TernServer.toConfig(TernServer.parse(args));
    }

    @Test
    void allowAnonymousIsAFlagOrAValueAndDefaultsToNoneWithUsers() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice=" + org.ternmq.broker.security.PasswordHash.create("pw".toCharArray(), 1000).format()
                + ",admin\n");
        assertThat(config("--users", users.toString()).allowAnonymous()).isFalse();
        assertThat(config("--users", users.toString(), "--allow-anonymous").allowAnonymous()).isTrue();
        assertThat(config("--allow-anonymous", "--port", "0").allowAnonymous()).isTrue();
        assertThat(config("--allow-anonymous", "false").allowAnonymous()).isFalse();
        assertThat(config().allowAnonymous()).as("no users: a development broker").isTrue();
        assertThat(config("--host", "0.0.0.0", "--allow-anonymous").host()).isEqualTo("0.0.0.0");
    }

    @Test
    void theCommandLineRefusesClearTextUsersAndAnOpenNonLoopbackBroker() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice=secret,admin\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(TernServer.run(new String[] {"--users", users.toString(), "--data-dir", dir.resolve("d").toString()},
                System.out, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("clear-text passwords are not accepted")
                .contains("tern user migrate");
        err.reset();
        assertThat(TernServer.run(new String[] {"--host", "0.0.0.0", "--port", "0", "--data-dir",
                dir.resolve("d").toString()}, System.out, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("non-loopback").contains("--allow-anonymous");
    }

    @Test
    void theAdminCommandReadsItsPasswordFromTheEnvironmentNotOnlyTheCommandLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(TernServer.run(new String[] {"admin", "list-queues", "--user", "root", "--password-env",
                "TERN_TEST_NO_SUCH_VARIABLE"}, System.out, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("environment variable TERN_TEST_NO_SUCH_VARIABLE is not set");
    }
}
