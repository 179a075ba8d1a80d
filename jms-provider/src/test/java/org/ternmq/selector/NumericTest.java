package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ternmq.selector.PropertiesContext.matches;

import org.junit.jupiter.api.Test;

/** Numeric promotion, overflow, division by zero and the edges of the numeric types. */
class NumericTest {

    @Test
    void everyIntegralTypeComparesWithEveryOther() {
        Object[] values = {"b", (byte) 7, "s", (short) 7, "i", 7, "l", 7L, "f", 7f, "d", 7d};
        assertThat(matches("b = s AND s = i AND i = l AND l = f AND f = d AND d = b", values)).isTrue();
        assertThat(matches("b = 7 AND s = 7 AND i = 7 AND l = 7 AND f = 7 AND d = 7", values)).isTrue();
        assertThat(matches("b = 7.0 AND s = 7.0 AND i = 7.0 AND l = 7e0 AND f = 7.0 AND d = 7.0", values)).isTrue();
        assertThat(matches("b + s + i + l + f + d = 42", values)).isTrue();
    }

    @Test
    void integerArithmeticIsExact() {
        assertThat(matches("i / 2 = 3", "i", 7)).as("integer division truncates").isTrue();
        assertThat(matches("i / 2 = 3.5", "i", 7)).isFalse();
        assertThat(matches("i / 2.0 = 3.5", "i", 7)).isTrue();
        assertThat(matches("-7 / 2 = -3", "i", 7)).isTrue();
        assertThat(matches("l + 1 = 9007199254740993", "l", 9007199254740992L))
                .as("beyond double precision, longs stay exact").isTrue();
        assertThat(matches("l = 9007199254740993", "l", 9007199254740992L)).isFalse();
    }

    @Test
    void intArithmeticDoesNotWrapAround() {
        assertThat(matches("i + 1 = 2147483648", "i", Integer.MAX_VALUE)).isTrue();
        assertThat(matches("i * i = 4611686014132420609", "i", Integer.MAX_VALUE)).isTrue();
        assertThat(matches("i - 1 < 0", "i", Integer.MIN_VALUE)).isTrue();
    }

    @Test
    void longOverflowFallsBackToDouble() {
        assertThat(matches("l + 1 > 0", "l", Long.MAX_VALUE)).as("no wrap to negative").isTrue();
        assertThat(matches("l + 1 = 9.223372036854775808E18", "l", Long.MAX_VALUE)).isTrue();
        assertThat(matches("l - 1 < 0", "l", Long.MIN_VALUE)).isTrue();
        assertThat(matches("0 - l > 0", "l", Long.MIN_VALUE)).isTrue();
        assertThat(matches("l * 2 > 0", "l", Long.MAX_VALUE)).isTrue();
        assertThat(matches("l * -1 > 0", "l", Long.MIN_VALUE)).isTrue();
        assertThat(matches("-l > 0", "l", Long.MIN_VALUE)).isTrue();
        assertThat(matches("l / -1 > 0", "l", Long.MIN_VALUE)).isTrue();
        assertThat(matches("l * l > 1E37", "l", 4_000_000_000_000_000_000L)).isTrue();
        assertThat(matches("l * 2 = -9223372036854775808", "l", -4611686018427387904L))
                .as("an exact product at the very edge stays a long").isTrue();
    }

    @Test
    void divisionByZeroIsUnknown() {
        for (String selector : new String[] {"i / 0 = 0", "i / z = 0", "i / 0.0 = 0", "f / 0 > 0", "d / 0 < 0",
            "d / zd > 0", "0 / 0 = 0"}) {
            Object[] values = {"i", 1, "z", 0, "f", 1.5f, "d", 2.5, "zd", -0.0};
            assertThat(matches(selector, values)).as(selector).isFalse();
            assertThat(matches("NOT (" + selector + ")", values)).as("NOT " + selector).isFalse();
        }
        assertThat(matches("i / 0 = 0 OR TRUE", "i", 1)).isTrue();
    }

    @Test
    void floatArithmeticFollowsJavaPromotion() {
        assertThat(matches("f + g = 0.3f", "f", 0.1f, "g", 0.2f)).as("float + float is float").isTrue();
        assertThat(matches("f + g = 0.3", "f", 0.1, "g", 0.2)).as("double + double is double").isFalse();
        assertThat(matches("d * 3 = 0.30000000000000004", "d", 0.1)).isTrue();
        assertThat(matches("f + d = 1.5", "f", 0.5f, "d", 1.0)).isTrue();
        assertThat(matches("f = d", "f", 0.5f, "d", 0.5)).isTrue();
        assertThat(matches("f = d", "f", 0.1f, "d", 0.1)).as("as in Java: (double) 0.1f != 0.1").isFalse();
        assertThat(matches("l < d", "l", 1L, "d", 1.0000001)).isTrue();
    }

    @Test
    void specialFloatingValues() {
        Object[] values = {"nan", Double.NaN, "inf", Double.POSITIVE_INFINITY, "ninf", Float.NEGATIVE_INFINITY};
        assertThat(matches("nan = nan", values)).isFalse();
        assertThat(matches("nan <> nan", values)).isTrue();
        assertThat(matches("nan < 1 OR nan >= 1", values)).isFalse();
        assertThat(matches("inf > 1.7976931348623157E308 AND ninf < -1.7976931348623157E308", values)).isTrue();
        assertThat(matches("inf + ninf = 0 OR inf + ninf <> 0", values)).as("NaN <> 0 is true in Java").isTrue();
        assertThat(matches("-0.0 = 0", values)).isTrue();
    }

    @Test
    void literalsKeepTheirExactValues() {
        assertThat(matches("l = 9223372036854775807", "l", Long.MAX_VALUE)).isTrue();
        assertThat(matches("l = 9223372036854775806", "l", Long.MAX_VALUE)).isFalse();
        assertThat(matches("l > 9223372036854775806", "l", Long.MAX_VALUE)).isTrue();
        assertThat(matches("l = -9223372036854775808", "l", Long.MIN_VALUE)).isTrue();
        assertThat(matches("-9223372036854775808 < -9223372036854775807")).isTrue();
        assertThat(matches("d = 4.9E-324", "d", Double.MIN_VALUE)).isTrue();
        assertThat(matches("d = -1.7976931348623157E308", "d", -Double.MAX_VALUE)).isTrue();
        assertThat(matches("d = -.5e1", "d", -5.0)).isTrue();
    }
}
