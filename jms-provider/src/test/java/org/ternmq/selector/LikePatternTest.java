package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LIKE matching on its own: wildcards, escapes, characters that mean something in a regex, odd strings. */
class LikePatternTest {

    private static boolean like(String pattern, String value) {
        return LikePattern.compile(pattern, -1).matches(value);
    }

    private static boolean like(String pattern, char escape, String value) {
        return LikePattern.compile(pattern, escape).matches(value);
    }

    @ParameterizedTest(name = "''{1}'' LIKE ''{0}'' is {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', emptyValue = "", value = {
        "abc      | abc      | true", "abc      | abcd     | false", "abc      | ab       | false",
        "abc      | ABC      | false", "a_c      | abc      | true", "a_c      | ac       | false",
        "a_c      | abbc     | false", "___      | abc      | true", "___      | ab       | false",
        "%        | anything | true", "%        | \"\"     | true", "%%%      | \"\"     | true",
        "\"\"     | \"\"     | true", "\"\"     | a        | false", "_        | \"\"     | false",
        "a%       | a        | true", "a%       | abc      | true", "a%       | ba       | false",
        "%a       | bca      | true", "%a       | ab       | false", "%b%      | abc      | true",
        "%b%      | ac       | false", "a%b%c    | aXbYc    | true", "a%b%c    | abc      | true",
        "a%b%c    | acb      | false", "%ab%ab%  | xabyab   | true", "%aab     | aaab     | true",
        "%aab     | aabaab   | true", "%aab     | aabaa    | false", "a%%b     | ab       | true",
        "%_       | \"\"     | false", "%_       | x        | true", "_%_      | x        | false",
        "_%_      | xy       | true", "%a_       | xxab     | true", "%a_      | xxa      | false",
        // characters special to java.util.regex stand for themselves
        ".*       | abc      | false", ".*       | .*       | true", "a.c      | abc      | false",
        "a.c      | a.c      | true", "[ab]     | a        | false", "[ab]     | [ab]     | true",
        "^a$      | ^a$      | true", "^a$      | a        | false", "a+b?     | a+b?     | true",
        "\"(x|y)\" | \"(x|y)\" | true", "\"(x|y)\" | x | false", "\\d       | \\d      | true",
        "\\d      | 1        | false", "{1}      | {1}      | true", "\\Q%\\E  | \\Qx\\E  | true",
        "$1%      | $100     | true", "a\\      | a\\      | true",
    })
    void matchesWholeString(String pattern, String value, boolean expected) {
        assertThat(like(pattern, value)).isEqualTo(expected);
    }

    @Test
    void escapeMakesWildcardsLiteral() {
        assertThat(like("100!%", '!', "100%")).isTrue();
        assertThat(like("100!%", '!', "1000")).isFalse();
        assertThat(like("a!_b", '!', "a_b")).isTrue();
        assertThat(like("a!_b", '!', "axb")).isFalse();
        assertThat(like("!!%", '!', "!anything")).as("escaped escape").isTrue();
        assertThat(like("!a", '!', "a")).as("escaping an ordinary character keeps it").isTrue();
        assertThat(like("%!%%", '!', "50% off")).isTrue();
        assertThat(like("%!%%", '!', "50 off")).isFalse();
        assertThat(like("x%", 'x', "%")).as("the escape character itself is not a literal").isTrue();
        assertThat(like("x%", 'x', "x%")).isFalse();
        assertThat(like("_%%", '%', "a%")).as("% as escape").isTrue();
        assertThat(like("_%%", '%', "ab")).isFalse();
        assertThat(like("\\_\\%", '\\', "_%")).isTrue();
    }

    @Test
    void danglingEscapeIsRejected() {
        assertThatThrownBy(() -> LikePattern.compile("abc!", '!')).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LikePattern.compile("_%", '%')).isInstanceOf(IllegalArgumentException.class);
        assertThat(LikePattern.compile("abc!!", '!').matches("abc!")).isTrue();
    }

    @Test
    void wildcardsMatchWholeUnicodeCharacters() {
        String smiley = "\uD83D\uDE00";
        assertThat(like("_", smiley)).isTrue();
        assertThat(like("a_b", "a" + smiley + "b")).isTrue();
        assertThat(like("__", smiley)).isFalse();
        assertThat(like("%" + smiley, "xx" + smiley)).isTrue();
        assertThat(like("é_", "éa")).isTrue();
        assertThat(LikePattern.compile("a" + smiley + "_", 0x1F600).matches("a_")).as("supplementary escape")
                .isTrue();
        assertThat(like("a_c", "a\nc")).as("_ matches a line terminator too").isTrue();
        assertThat(like("a%c", "a\n\r\nc")).isTrue();
    }

    @Test
    @Timeout(5)
    void pathologicalPatternsStayFast() {
        String value = "a".repeat(20_000);
        assertThat(like("%a%a%a%a%a%a%a%a%a%a%b", value)).isFalse();
        assertThat(like("%a%a%a%a%a%a%a%a%a%a%", value)).isTrue();
        assertThat(like("_".repeat(20_000), value)).isTrue();
    }

    @Test
    void toStringShowsThePatternAsWritten() {
        assertThat(LikePattern.compile("it's%", '!')).hasToString("'it''s%' ESCAPE '!'");
        assertThat(LikePattern.compile("x_", -1)).hasToString("'x_'");
    }
}
