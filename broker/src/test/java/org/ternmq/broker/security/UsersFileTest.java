package org.ternmq.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

    @TempDir
    Path dir;

    @Test
    void clearTextPasswordsAreRefusedNamingTheUsersAndTheFix() throws Exception {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "alice=secret,admin\nbob=" + PasswordHash.create("pw".toCharArray(), 1000).format() + "\n");
        assertThatThrownBy(() -> UsersFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clear-text passwords are not accepted (users [alice])")
                .hasMessageContaining("tern user migrate --users " + file)
                .hasMessageNotContaining("secret,");
    }

    @Test
    void writtenEntriesReadBackWithRolesAndTheFileIsTheOwnersOnly() throws Exception {
        Path file = dir.resolve("sub/users.properties");
        String hash = PasswordHash.create("pw".toCharArray(), 1000).format();
        UsersFile.write(file, Map.of("alice", new UsersFile.Entry(hash, List.of("admin", "ops")),
                "b:ob", new UsersFile.Entry(hash, List.of())));
        Map<String, UserCredentials> users = UsersFile.read(file);
        assertThat(users).containsOnlyKeys("alice", "b:ob");
        assertThat(users.get("alice").roles()).containsExactly("admin", "ops");
        assertThat(users.get("b:ob").password().matches("pw".toCharArray())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file.toAbsolutePath());
        }
    }

    @Test
    void aDamagedHashIsNamed() throws Exception {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "carol=PBKDF2WithHmacSHA256:99:AAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAA,admin\n");
        assertThatThrownBy(() -> UsersFile.read(file)).hasMessageContaining("user 'carol': iteration count 99 is below 1000");
    }
}
