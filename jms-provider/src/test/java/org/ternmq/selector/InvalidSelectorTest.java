package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Selectors that must be refused when presented (JMS: InvalidSelectorException). */
class InvalidSelectorTest {

    @ParameterizedTest
    @ValueSource(strings = {
        // reserved words are not identifiers (TCK identifierTest02..14)
        "NULL = 0", "TRUE = 0", "FALSE = 0", "NOT = 0", "AND = 0", "OR = 0", "BETWEEN = 0", "LIKE = 0",
        "IN = 0", "IS = 0", "ESCAPE = 0", "null = 0", "x = null", "escape IS NULL", "a = 1 AND or = 2",
        // unknown or malformed operators
        "a == 1", "a != 1", "a => 1", "a =< 1", "a >> 1", "a ! b", "a & b", "a | b", "a ^ 2", "a % 2",
        "a = 1;", "a = \"x\"", "a = #1", "a <>= 1",
        // unbalanced parentheses, missing operands
        "(a = 1", "a = 1)", "((a = 1)", "()", "a = ()", "a =", "= 1", "a = 1 AND", "OR a", "NOT", "a AND AND b",
        "a = 1 a = 2", "a b",
        // trailing garbage
        "a = 1 2", "a = 1 'x'", "TRUE FALSE", "a IS NULL NULL", "a = 'x' ESCAPE 'y'",
        // ordering comparisons of strings and booleans (TCK comparisonTest04..12)
        "myProp > 'foo'", "myProp >= 'foo'", "myProp < 'foo'", "myProp <= 'foo'", "'foo' > TRUE",
        "'foo' >= TRUE", "'foo' < TRUE", "'foo' <= TRUE", "TRUE > FALSE", "a < TRUE", "'a' < 'b'",
        // comparing literals of unlike types
        "'1' = 1", "TRUE = 1", "TRUE <> 'TRUE'", "1.5 = 'x'", "(a = 1) = 1", "(a = 1) = 'x'",
        // arithmetic on non-numbers
        "'a' + 1 = 2", "a + 'b' = 1", "TRUE * 2 = 2", "-'a' = 1", "+TRUE", "(a = 1) + 1 = 2", "a * (b > 1) = 1",
        // not a condition at the top
        "5", "'x'", "a + b", "-a", "+a", "1.5", "(a + 1)", "a * 2", "0x1F",
        // logical operators on non-conditions
        "a AND 1", "1 OR a", "NOT 5", "NOT 'x'", "'x' AND TRUE", "a + 1 AND b", "NOT (a + 1)",
        // BETWEEN
        "myProp BETWEEN 'foo' and 'test'", "a BETWEEN 1", "a BETWEEN 1 OR 2", "a BETWEEN AND 2",
        "'x' BETWEEN 1 AND 2", "TRUE BETWEEN 1 AND 2", "a BETWEEN TRUE AND 2", "a NOT 1", "a NOT = 1",
        // IN
        "myProp NOT IN (1,2,3)", "a IN ('x', 1)", "a IN ()", "a IN 'x'", "a IN ('x'", "a IN ('x',)", "a IN (b)",
        "a IN ('x' 'y')", "1 IN ('1')", "'x' IN ('x')", "(a + 1) IN ('x')", "a IN (NULL)",
        // LIKE
        "myProp LIKE 7", "a LIKE b", "a LIKE 'x' ESCAPE ''", "a LIKE 'x' ESCAPE 'ab'", "a LIKE 'x' ESCAPE 1",
        "a LIKE 'x' ESCAPE", "a LIKE 'x!' ESCAPE '!'", "'x' LIKE 'x'", "a + 1 LIKE '1'", "a LIKE",
        "a NOT LIKE 5", "a LIKE 'x' ESCAPE 'y' ESCAPE 'z'",
        // IS NULL
        "a IS 1", "a IS NOT 1", "a IS", "a IS NOT", "1 IS NULL", "'x' IS NULL", "a + 1 IS NULL", "a NOT NULL",
        "a IS NULL NOT",
        // literals
        "a = 'unterminated", "a = 'x''", "a = 9223372036854775808", "a = -9223372036854775809", "a = 1e400",
        "a = 1.2.3", "a = 5abc", "a = 0x", "a = 0xg", "a = 09", "a = 1e", "a = 1e+", "a = 0x10000000000000000",
        "a = 1LL", "a = 1.5L", "a = .", "a = 1__0",
    })
    void isRejected(String selector) {
        assertThatThrownBy(() -> Selector.parse(selector))
                .as(selector)
                .isInstanceOf(SelectorSyntaxException.class)
                .satisfies(e -> assertThat(((SelectorSyntaxException) e).position())
                        .isBetween(0, selector.length()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "NULL = 0                   | 0  | NULL",
        "a = 1 AND BETWEEN = 2      | 10 | BETWEEN",
        "a == 1                     | 3  | '='",
        "(a = 1                     | 6  | ')'",
        "a = 1)                     | 5  | end of the selector",
        "myProp > 'foo'             | 9  | number",
        "a IN (1)                   | 6  | string literal",
        "a LIKE 'x' ESCAPE 'ab'     | 18 | one character",
        "a + b                      | 0  | condition",
        "a = 'oops                  | 4  | unterminated",
        "a = 1 # 2                  | 6  | '#'",
        "a = 99999999999999999999   | 4  | range",
    })
    void errorPointsAtTheProblem(String selector, int position, String problemMentions) {
        assertThatThrownBy(() -> Selector.parse(selector.strip()))
                .isInstanceOfSatisfying(SelectorSyntaxException.class, e -> {
                    assertThat(e.position()).as(e.getMessage()).isEqualTo(position);
                    assertThat(e.problem()).containsIgnoringCase(problemMentions);
                });
    }
}
