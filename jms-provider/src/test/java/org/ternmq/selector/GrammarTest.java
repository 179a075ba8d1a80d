package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ternmq.selector.PropertiesContext.matches;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every production of the selector grammar, with the spec's and the TCK's examples. */
class GrammarTest {

    @Test
    void stringLiteralsUseDoubledQuoteAsEscape() {
        assertThat(matches("JMSType='literal'", "JMSType", "literal")).isTrue();
        assertThat(matches("JMSType='literal''s'", "JMSType", "literal's")).isTrue();
        assertThat(matches("s = ''", "s", "")).isTrue();
        assertThat(matches("s = ''''", "s", "'")).isTrue();
        assertThat(matches("s = 'a\"b'", "s", "a\"b")).isTrue();
        assertThat(matches("s = 'ünïcødé \uD83D\uDE00'", "s", "ünïcødé \uD83D\uDE00")).isTrue();
        assertThat(matches("s = 'AND OR NOT'", "s", "AND OR NOT")).isTrue();
    }

    @Test
    void exactNumericLiterals() {
        assertThat(matches("p0 = -957 AND p1 = +62 AND p2 = 57", "p0", -957L, "p1", 62L, "p2", 57)).isTrue();
        assertThat(matches("p0=" + Long.MIN_VALUE + "L AND p1=" + Long.MAX_VALUE + "L",
                "p0", Long.MIN_VALUE, "p1", Long.MAX_VALUE)).isTrue();
        assertThat(matches("p0=" + Long.MIN_VALUE + " AND p1=" + Long.MAX_VALUE,
                "p0", Long.MIN_VALUE, "p1", Long.MAX_VALUE)).isTrue();
        assertThat(matches("p = - 9223372036854775808", "p", Long.MIN_VALUE)).isTrue();
        assertThat(matches("p = 035", "p", 29L)).as("octal").isTrue();
        assertThat(matches("p = 0x1d AND q = 0X1D AND r = 0x1dL", "p", 29L, "q", 29, "r", 29)).as("hex").isTrue();
        assertThat(matches("p = 0b11101", "p", 29)).as("binary").isTrue();
        assertThat(matches("p = 0 AND q = 00 AND r = 0L", "p", 0, "q", 0, "r", 0)).isTrue();
        assertThat(matches("p = 0xFFFFFFFFFFFFFFFF", "p", -1L)).as("64-bit hex as in Java").isTrue();
        assertThat(matches("p = 0xFFFFFFFF", "p", 4294967295L)).as("hex is always long").isTrue();
    }

    @Test
    void approximateNumericLiterals() {
        assertThat(matches("p0=7E3 AND p1=-57.9E3", "p0", 7000.0, "p1", -57900.0)).isTrue();
        assertThat(matches("p=7000.", "p", 7000.0)).isTrue();
        assertThat(matches("p=.7e4", "p", 7000.0)).isTrue();
        assertThat(matches("p = 7.", "p", 7)).isTrue();
        assertThat(matches("p = -95.7 AND q = +6.2", "p", -95.7, "q", 6.2)).isTrue();
        assertThat(matches("p = 1.5e-2 AND q = 1.5E+2", "p", 0.015, "q", 150.0)).isTrue();
        assertThat(matches("p = .5", "p", 0.5f)).isTrue();
        assertThat(matches("p = 7.e3", "p", 7000)).isTrue();
        assertThat(matches("p = 1.1f", "p", 1.1f)).as("float literal compares as a float").isTrue();
        assertThat(matches("p = 1.1", "p", 1.1f)).as("float widened to double differs, as in Java").isFalse();
        assertThat(matches("p = 2d AND q = 3F", "p", 2.0, "q", 3.0f)).isTrue();
        assertThat(matches("p = 1.7976931348623157E308", "p", Double.MAX_VALUE)).isTrue();
    }

    @Test
    void booleanLiteralsAreCaseInsensitive() {
        assertThat(matches("p0=TRUE AND p1=FALSE", "p0", true, "p1", false)).isTrue();
        assertThat(matches("p0=false AND p1=true", "p0", false, "p1", true)).isTrue();
        assertThat(matches("p0=True AND p1=fAlSe", "p0", true, "p1", false)).isTrue();
        assertThat(matches("TRUE OR (FALSE AND FALSE)")).isTrue();
    }

    @Test
    void identifiersFollowJavaRulesAndAreCaseSensitive() {
        assertThat(matches("$myProp=TRUE AND _myProp=FALSE", "$myProp", true, "_myProp", false)).isTrue();
        assertThat(matches("myProp=TRUE AND MYpROP=FALSE", "myProp", true, "MYpROP", false)).isTrue();
        assertThat(matches("myProp = 1", "MYPROP", 1)).isFalse();
        assertThat(matches("prop2_x$9 = 1 AND ünïcødé = 2", "prop2_x$9", 1, "ünïcødé", 2)).isTrue();
        assertThat(matches("JMSX_Group = 'g' AND JMS_vendor = 1", "JMSX_Group", "g", "JMS_vendor", 1)).isTrue();
        // Words that merely contain or start with keywords are identifiers.
        assertThat(matches("ANDROID = 1 AND ORDER = 2 AND ISNULL = 3 AND notes = 4 AND inside = 5 AND nulls = 6",
                "ANDROID", 1, "ORDER", 2, "ISNULL", 3, "notes", 4, "inside", 5, "nulls", 6)).isTrue();
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertThat(matches("myProp0 is null and myProp1 like 'fooG_%' escape 'G' and myProp2 in ('a', 'b')"
                + " and myProp3 not between 0 and 10 and (myProp4 or false)",
                "myProp1", "foo_test", "myProp2", "a", "myProp3", 20, "myProp4", true)).isTrue();
        assertThat(matches("a Is Not Null aNd NoT b", "a", 1, "b", false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"JMSType   =   'foo'", "JMSType\t=\t'foo'", "JMSType\f=\f'foo'", "JMSType\n= \n'foo'",
        "\r\nJMSType='foo'\r\n", "(JMSType='foo')", "((( JMSType = 'foo' )))"})
    void whitespaceAndParenthesesAreIgnored(String selector) {
        assertThat(matches(selector, "JMSType", "foo")).isTrue();
    }

    @Test
    void bareIdentifierIsACondition() {
        assertThat(matches("myProp", "myProp", true)).isTrue();
        assertThat(matches("myProp", "myProp", false)).isFalse();
        assertThat(matches("myProp")).isFalse();
        assertThat(matches("myProp", "myProp", "true")).as("a string is not a boolean").isFalse();
        assertThat(matches("myProp", "myProp", 1)).isFalse();
        assertThat(matches("(myProp)", "myProp", true)).isTrue();
    }

    @Test
    void conditionsCanBeComparedAsBooleans() {
        assertThat(matches("(a = 1) = TRUE", "a", 1)).isTrue();
        assertThat(matches("(a = 1) <> (b = 1)", "a", 1, "b", 2)).isTrue();
        assertThat(matches("flag = (a > 0)", "flag", true, "a", 5)).isTrue();
        assertThat(matches("(a = 1) = TRUE", "a", null)).isFalse();
    }

    @Test
    void logicalPrecedenceIsNotThenAndThenOr() {
        // NOT T AND F = (NOT T) AND F = F; the wrong grouping NOT (T AND F) would be T
        assertThat(matches("NOT t AND f", "t", true, "f", false)).isFalse();
        assertThat(matches("NOT f AND t", "t", true, "f", false)).isTrue();
        assertThat(matches("t AND NOT f", "t", true, "f", false)).isTrue();
        // T OR T AND F = T OR (T AND F) = T; the wrong grouping (T OR T) AND F would be F
        assertThat(matches("t OR t AND f", "t", true, "f", false)).isTrue();
        assertThat(matches("f AND t OR t", "t", true, "f", false)).isTrue();
        assertThat(matches("(t OR t) AND f", "t", true, "f", false)).isFalse();
        assertThat(matches("NOT NOT t", "t", true)).isTrue();
        assertThat(matches("NOT a = 1", "a", 2)).as("NOT applies to the whole comparison").isTrue();
    }

    @Test
    void arithmeticPrecedence() {
        assertThat(matches("- p0 + p1 = 0", "p0", 5, "p1", 5)).isTrue();
        assertThat(matches("p0+p1*p2-p3/p4 = 6", "p0", 1f, "p1", 2f, "p2", 3f, "p3", 4f, "p4", 4f)).isTrue();
        assertThat(matches("2 + 3 * 4 = 14 AND (2 + 3) * 4 = 20")).isTrue();
        assertThat(matches("10 - 4 - 3 = 3 AND 100 / 10 / 5 = 2")).as("left-associative").isTrue();
        assertThat(matches("-p0 < 0 AND +p1 < 0", "p0", 5, "p1", -5)).isTrue();
        assertThat(matches("p0*2 = 10 AND p1/2 = -5", "p0", 5, "p1", -10)).isTrue();
        assertThat(matches("p0+5 = 0 AND p1-5 = 5", "p0", -5, "p1", 10)).isTrue();
        assertThat(matches("--p = 3 AND - -p = 3 AND -(-p) = 3 AND +-+p = -3", "p", 3)).isTrue();
        assertThat(matches("2*-3 = -6 AND 2--3 = 5 AND 2-+3 = -1")).isTrue();
        assertThat(matches("a + 1 > b * 2", "a", 4, "b", 2)).as("comparison binds looser than arithmetic").isTrue();
    }

    @Test
    void comparisonOperators() {
        assertThat(matches("myProp0 = 'foo' AND myProp1 > 0 AND myProp2 >= 2 AND myProp3 >= 2 AND myProp4 < 5"
                + " AND myProp5 <= 6 AND myProp6 <= 6 AND myProp7 <> 7",
                "myProp0", "foo", "myProp1", 1, "myProp2", 2.0f, "myProp3", 3, "myProp4", 4.0, "myProp5", 5,
                "myProp6", 6, "myProp7", 0f)).isTrue();
        assertThat(matches("myProp0 = 'foo' OR myProp1 > 0 OR myProp2 >= 2 OR myProp3 < 5 OR myProp4 <= 6"
                + " OR myProp5 <> 7",
                "myProp0", "not_foo", "myProp1", 0, "myProp2", 1.5f, "myProp3", 5.0, "myProp4", 7,
                "myProp5", 7f)).isFalse();
        assertThat(matches("myProp0 < myProp1", "myProp0", 0, "myProp1", 1.5)).isTrue();
        assertThat(matches("JMSType = 'foo' AND myProp <> 'not_foo'", "JMSType", "foo", "myProp", "foo")).isTrue();
        assertThat(matches("myProp0 = TRUE AND myProp1 <> FALSE", "myProp0", true, "myProp1", true)).isTrue();
        assertThat(matches("s = t", "s", "x", "t", "x")).isTrue();
        assertThat(matches("1 < 2 AND 2 <= 2 AND 3 > 2 AND 2 >= 2 AND 1 <> 2 AND 1 = 1")).isTrue();
    }

    @Test
    void between() {
        assertThat(matches("p0 BETWEEN 5 and 10 AND p1 BETWEEN -1 and 1 AND p2 BETWEEN 0 and 2",
                "p0", 7, "p1", -1, "p2", 2)).isTrue();
        assertThat(matches("p0 BETWEEN  -4 and 5 OR p1 BETWEEN -5 and 4", "p0", -5, "p1", 5)).isFalse();
        assertThat(matches("p0 NOT BETWEEN  -4 and 5 AND p1 NOT BETWEEN -5 and 4", "p0", -5, "p1", 5)).isTrue();
        assertThat(matches("p0 NOT BETWEEN 5 and 10 OR p1 NOT BETWEEN -1 and 1 OR p2 NOT BETWEEN 0 and 2",
                "p0", 7, "p1", -1, "p2", 2)).isFalse();
        assertThat(matches("p BETWEEN 1 + 1 AND 2 * 3 AND q", "p", 6, "q", true))
                .as("bounds are arithmetic; the AND after the upper bound is logical").isTrue();
        assertThat(matches("p BETWEEN lo AND hi", "p", 2.5, "lo", 2, "hi", 3L)).isTrue();
        assertThat(matches("p BETWEEN 10 AND 1", "p", 5)).as("empty range").isFalse();
        assertThat(matches("p * 2 BETWEEN 9 AND 11", "p", 5)).isTrue();
    }

    @Test
    void in() {
        assertThat(matches("JMSType IN ('foo','jms','test')", "JMSType", "jms")).isTrue();
        assertThat(matches("JMSType IN ('foo','jms','test')", "JMSType", "JMS")).isFalse();
        assertThat(matches("JMSType NOT IN ('foo','jms','test')", "JMSType", "FOO")).isTrue();
        assertThat(matches("JMSType NOT IN ('foo','jms','test')", "JMSType", "foo")).isFalse();
        assertThat(matches("Country IN (' UK', 'US', 'France')", "Country", "UK")).isFalse();
        assertThat(matches("Country IN (' UK', 'US', 'France')", "Country", " UK")).isTrue();
        assertThat(matches("c IN ('x')", "c", "x")).isTrue();
        assertThat(matches("c IN ('x', 'x', 'y')", "c", "y")).as("duplicates are harmless").isTrue();
        assertThat(matches("c IN ('', 'it''s')", "c", "it's")).isTrue();
        assertThat(matches("c IN ('', 'it''s')", "c", "")).isTrue();
    }

    @Test
    void like() {
        assertThat(matches("JMSType LIKE 'jms'", "JMSType", "jms")).isTrue();
        assertThat(matches("JMSType LIKE 's_lector' AND p0 LIKE '_bcd' AND p1 LIKE '123_'",
                "JMSType", "selector", "p0", "abcd", "p1", "1234")).isTrue();
        assertThat(matches("JMSType LIKE 's%tor' AND p0 LIKE '%cd' AND p1 LIKE '1%' AND p2 LIKE 'AB%CD'"
                + " AND p3 LIKE '%'", "JMSType", "selector", "p0", "abcd", "p1", "1234", "p2", "ABCD", "p3", "foo"))
                .isTrue();
        assertThat(matches("JMSType LIKE 'A_fo_A%f%' ESCAPE 'A'", "JMSType", "_foo%foo")).isTrue();
        assertThat(matches("JMSType LIKE 'A%fooA_' ESCAPE 'A'", "JMSType", "_foo%")).isFalse();
        assertThat(matches("JMSType LIKE 'A%fooA_' ESCAPE 'A'", "JMSType", "%foo_")).isTrue();
        assertThat(matches("JMSType NOT LIKE 'A_A_' ESCAPE 'A'", "JMSType", "_A")).isTrue();
        assertThat(matches("JMSType LIKE '\\__\\%%' ESCAPE '\\'", "JMSType", "_a%b")).isTrue();
        assertThat(matches("JMSType NOT LIKE 's_ector' AND p0 NOT LIKE '_cd' AND p1 NOT LIKE '12_'",
                "JMSType", "selector", "p0", "abcd", "p1", "1234")).isTrue();
        assertThat(matches("phone LIKE '12%3'", "phone", "123")).isTrue();
        assertThat(matches("phone LIKE '12%3'", "phone", "12993")).isTrue();
        assertThat(matches("phone LIKE '12%3'", "phone", "1234")).isFalse();
        assertThat(matches("word LIKE 'l_se'", "word", "lose")).isTrue();
        assertThat(matches("word LIKE 'l_se'", "word", "loose")).isFalse();
        assertThat(matches("underscored LIKE '\\_%' ESCAPE '\\'", "underscored", "_foo")).isTrue();
        assertThat(matches("underscored LIKE '\\_%' ESCAPE '\\'", "underscored", "bar")).isFalse();
        assertThat(matches("s LIKE 'it''s%'", "s", "it's here")).isTrue();
        assertThat(matches("s LIKE '%''''' ESCAPE ''''", "s", "x'")).as("quote as escape character").isTrue();
        assertThat(matches("s LIKE '%''%' ESCAPE ''''", "s", "x%")).as("quote as escape character").isTrue();
    }

    @Test
    void isNull() {
        assertThat(matches("myNullProp IS NULL")).isTrue();
        assertThat(matches("myProp IS NULL", "myProp", "foo")).isFalse();
        assertThat(matches("myProp IS NOT NULL", "myProp", 10f)).isTrue();
        assertThat(matches("myNullProp IS NOT NULL")).isFalse();
        assertThat(matches("a IS NULL AND b IS NOT NULL", "b", false)).isTrue();
        assertThat(matches("NOT a IS NULL", "a", "")).isTrue();
    }
}
