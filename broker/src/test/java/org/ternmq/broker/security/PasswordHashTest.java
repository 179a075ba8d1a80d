package org.ternmq.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void aHashMatchesItsPasswordOnlyAndSurvivesItsStoredForm() {
        PasswordHash hash = PasswordHash.create("s3cret".toCharArray(), 2000);
        String stored = hash.format();
        assertThat(stored).startsWith("PBKDF2WithHmacSHA256:2000:").doesNotContain("s3cret");
        PasswordHash read = PasswordHash.parse(stored);
        assertThat(read).isEqualTo(hash);
        assertThat(read.matches("s3cret".toCharArray())).isTrue();
        assertThat(read.matches("s3creT".toCharArray())).isFalse();
        assertThat(read.matches(null)).isFalse();
    }

    @Test
    void eachHashHasItsOwnSalt() {
        String a = PasswordHash.create("same".toCharArray(), 1000).format();
        String b = PasswordHash.create("same".toCharArray(), 1000).format();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void badStoredFormsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> PasswordHash.parse("secret")).hasMessageContaining("PBKDF2WithHmacSHA256:<iterations>");
        assertThatThrownBy(() -> PasswordHash.parse("PBKDF2WithHmacSHA256:x:AAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .hasMessageContaining("iteration count 'x'");
        assertThatThrownBy(() -> PasswordHash.parse("PBKDF2WithHmacSHA256:10:AAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .hasMessageContaining("below 1000");
        assertThatThrownBy(() -> PasswordHash.parse("PBKDF2WithHmacSHA256:5000:!!:AAAA"))
                .hasMessageContaining("bad salt or hash");
    }
}
