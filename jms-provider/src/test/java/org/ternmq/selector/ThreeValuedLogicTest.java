package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SQL truth tables of the specification, checked through conditions that are TRUE ({@code t}),
 * FALSE ({@code f}) or UNKNOWN ({@code u}, an absent property). A result is observed as matches(expr),
 * matches(NOT expr): TRUE gives (true, false), FALSE (false, true), UNKNOWN (false, false).
 */
class ThreeValuedLogicTest {

    private static final PropertiesContext MESSAGE = PropertiesContext.of("t", true, "f", false);

    @ParameterizedTest(name = "{0} AND {1} = {2}")
    @CsvSource({
        "t, t, T", "t, f, F", "t, u, U",
        "f, t, F", "f, f, F", "f, u, F",
        "u, t, U", "u, f, F", "u, u, U",
    })
    void and(String left, String right, String expected) throws Exception {
        assertThat(truthOf(left + " AND " + right)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} OR {1} = {2}")
    @CsvSource({
        "t, t, T", "t, f, T", "t, u, T",
        "f, t, T", "f, f, F", "f, u, U",
        "u, t, T", "u, f, U", "u, u, U",
    })
    void or(String left, String right, String expected) throws Exception {
        assertThat(truthOf(left + " OR " + right)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "NOT {0} = {1}")
    @CsvSource({"t, F", "f, T", "u, U"})
    void not(String operand, String expected) throws Exception {
        assertThat(truthOf("NOT " + operand)).isEqualTo(expected);
    }

    /** The same tables with conditions that are comparisons rather than boolean properties. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "n = 1 AND absent = 1  | U", "n = 2 AND absent = 1  | F", "n = 1 OR absent = 1   | T",
        "n = 2 OR absent = 1   | U", "NOT (absent > 1)      | U", "absent = 1 OR TRUE    | T",
        "absent = 1 AND FALSE  | F", "(n = 1) = (absent = 1)| U", "TRUE AND TRUE         | T",
    })
    void comparisonsCombineTheSameWay(String selector, String expected) throws Exception {
        Selector parsed = Selector.parse(selector.strip());
        PropertiesContext message = PropertiesContext.of("n", 1);
        assertThat(observe(parsed.matches(message), Selector.parse("NOT (" + selector + ")").matches(message)))
                .isEqualTo(expected);
    }

    private static String truthOf(String expression) throws SelectorSyntaxException {
        String selector = expression.replace("u", "unknownProp");
        return observe(Selector.parse(selector).matches(MESSAGE),
                Selector.parse("NOT (" + selector + ")").matches(MESSAGE));
    }

    private static String observe(boolean matches, boolean negationMatches) {
        if (matches && !negationMatches) {
            return "T";
        }
        if (!matches && negationMatches) {
            return "F";
        }
        if (!matches) {
            return "U";
        }
        return "both the selector and its negation matched";
    }
}
