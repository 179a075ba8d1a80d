package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Selectors arrive from clients, so huge or deeply nested ones must be handled or refused cleanly, never
 * by overflowing the stack of the broker thread that parses or evaluates them.
 */
@Timeout(30)
class LargeSelectorTest {

    @Test
    void longGeneratedOrChainsWork() throws Exception {
        StringJoiner selector = new StringJoiner(" OR ");
        for (int i = 0; i < 20_000; i++) {
            selector.add("id = " + i);
        }
        Selector parsed = Selector.parse(selector.toString());
        assertThat(parsed.matches(PropertiesContext.of("id", 19_999))).isTrue();
        assertThat(parsed.matches(PropertiesContext.of("id", 20_000))).isFalse();
        assertThat(parsed.matches(PropertiesContext.of())).isFalse();
    }

    @Test
    void longAndChainsAndArithmeticChainsWork() throws Exception {
        StringJoiner and = new StringJoiner(" AND ");
        StringJoiner sum = new StringJoiner(" + ");
        for (int i = 0; i < 20_000; i++) {
            and.add("p" + (i % 10) + " IS NULL");
            sum.add("x");
        }
        assertThat(Selector.parse(and.toString()).matches(PropertiesContext.of())).isTrue();
        assertThat(Selector.parse(and.toString()).matches(PropertiesContext.of("p7", 1))).isFalse();
        assertThat(Selector.parse(sum + " = 40000").matches(PropertiesContext.of("x", 2))).isTrue();
    }

    @Test
    void nestingUpToTheLimitIsAccepted() throws Exception {
        int depth = SelectorParser.MAX_NESTING;
        String selector = "(".repeat(depth) + "a = 1" + ")".repeat(depth);
        assertThat(Selector.parse(selector).matches(PropertiesContext.of("a", 1))).isTrue();
        assertThat(Selector.parse("NOT ".repeat(depth) + "a").matches(PropertiesContext.of("a", true))).isTrue();
        assertThat(Selector.parse("-".repeat(depth) + "a = 1").matches(PropertiesContext.of("a", 1))).isTrue();
    }

    @Test
    void deeperNestingIsASyntaxErrorNotAStackOverflow() {
        for (int depth : new int[] {SelectorParser.MAX_NESTING + 1, 1_000_000}) {
            assertThatThrownBy(() -> Selector.parse("(".repeat(depth) + "a" + ")".repeat(depth)))
                    .isInstanceOf(SelectorSyntaxException.class).hasMessageContaining("nested");
            assertThatThrownBy(() -> Selector.parse("NOT ".repeat(depth) + "a"))
                    .isInstanceOf(SelectorSyntaxException.class).hasMessageContaining("nested");
            assertThatThrownBy(() -> Selector.parse("- ".repeat(depth) + "a = 1"))
                    .isInstanceOf(SelectorSyntaxException.class).hasMessageContaining("nested");
        }
        assertThatThrownBy(() -> Selector.parse("(".repeat(1_000_000)))
                .isInstanceOf(SelectorSyntaxException.class);
    }

    @Test
    void bigInListsWork() throws Exception {
        StringJoiner items = new StringJoiner(", ", "code IN (", ")");
        for (int i = 0; i < 20_000; i++) {
            items.add("'c" + i + "'");
        }
        Selector parsed = Selector.parse(items.toString());
        assertThat(parsed.matches(PropertiesContext.of("code", "c19999"))).isTrue();
        assertThat(parsed.matches(PropertiesContext.of("code", "c20000"))).isFalse();
    }
}
