package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every operator meeting NULL (an absent property) or a value of the wrong type. Each row gives the
 * expected truth of the selector as T, F or U (UNKNOWN), observed through the selector and its negation.
 * Properties present: {@code i} = 5 (Integer), {@code s} = "5", {@code b} = true.
 */
class NullAndTypeMismatchTest {

    private static final PropertiesContext MESSAGE = PropertiesContext.of("i", 5, "s", "5", "b", true);

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // comparisons with NULL are UNKNOWN, whatever the operator
        "absent = 1 | U", "absent <> 1 | U", "absent < 1 | U", "absent <= 1 | U", "absent > 1 | U",
        "absent >= 1 | U", "1 = absent | U", "absent = 'x' | U", "absent <> 'x' | U", "absent = TRUE | U",
        "absent = absent | U", "absent <> other | U",
        // arithmetic with NULL is NULL
        "absent + 1 = 1 | U", "1 - absent = 1 | U", "absent * 0 = 0 | U", "absent / 1 = 0 | U", "-absent = 0 | U",
        "+absent = 0 | U", "i + absent > 0 | U",
        // BETWEEN, IN, LIKE with a NULL operand
        "absent BETWEEN 1 AND 2 | U", "absent NOT BETWEEN 1 AND 2 | U", "i BETWEEN absent AND 10 | U",
        "i BETWEEN 1 AND absent | U", "i BETWEEN 6 AND absent | F", "i NOT BETWEEN 6 AND absent | T",
        "i NOT BETWEEN absent AND 4 | T", "i NOT BETWEEN 1 AND absent | U",
        "absent IN ('a', 'b') | U", "absent NOT IN ('a', 'b') | U", "absent LIKE '%' | U",
        "absent NOT LIKE 'x' | U",
        // IS NULL is never UNKNOWN
        "absent IS NULL | T", "absent IS NOT NULL | F", "i IS NULL | F", "i IS NOT NULL | T",
        // unlike types compare as FALSE (the specification's rule), even with <>
        "s = 5 | F", "s <> 5 | F", "i = '5' | F", "i <> '5' | F", "b = 1 | F", "b <> 1 | F", "s = b | F",
        "i = b | F", "s > 4 | F", "s < 6 | F", "s >= i | F", "b > 0 | F", "b < b | F",
        // ordering of two strings or two booleans held in properties: FALSE, only = and <> apply
        "s > s | F", "s <= s | F", "b >= b | F",
        // a string that looks like a number is not a number (no conversions in selectors)
        "s BETWEEN 1 AND 10 | F", "s NOT BETWEEN 1 AND 10 | F", "b BETWEEN 0 AND 1 | F",
        // arithmetic on a non-number is UNKNOWN
        "s + 1 = 6 | U", "s * 1 = 5 | U", "-s = -5 | U", "+s = 5 | U", "b + 0 = 1 | U", "i + s = 10 | U",
        // IN and LIKE apply to strings only: anything else is UNKNOWN, so NOT IN / NOT LIKE do not match
        "i IN ('5') | U", "i NOT IN ('5') | U", "b IN ('true') | U", "i LIKE '5' | U", "i NOT LIKE 'x' | U",
        "b NOT LIKE 'x' | U",
        // a non-boolean used as a condition is UNKNOWN
        "i | U", "s | U", "NOT i | U", "i AND TRUE | U", "i OR FALSE | U", "i OR TRUE | T", "s AND FALSE | F",
        "absent | U", "NOT absent | U",
    })
    void truth(String selector, String expected) throws Exception {
        boolean matches = Selector.parse(selector).matches(MESSAGE);
        boolean negationMatches = Selector.parse("NOT (" + selector + ")").matches(MESSAGE);
        String actual = matches ? (negationMatches ? "both" : "T") : (negationMatches ? "F" : "U");
        assertThat(actual).isEqualTo(expected);
    }
}
