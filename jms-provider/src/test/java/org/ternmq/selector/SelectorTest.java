package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The public surface: ALL, text(), matchesAll(), equality, and what matches() does with UNKNOWN. */
class SelectorTest {

    @Test
    void blankSelectorsParseToAll() throws Exception {
        assertThat(Selector.parse(null)).isSameAs(Selector.ALL);
        assertThat(Selector.parse("")).isSameAs(Selector.ALL);
        assertThat(Selector.parse(" \t\r\n\f ")).isSameAs(Selector.ALL);
        assertThat(Selector.ALL.text()).isEmpty();
        assertThat(Selector.ALL.matchesAll()).isTrue();
    }

    @Test
    void allMatchesWithoutAskingTheMessage() {
        AtomicInteger lookups = new AtomicInteger();
        assertThat(Selector.ALL.matches(name -> {
            lookups.incrementAndGet();
            return null;
        })).isTrue();
        assertThat(lookups).hasValue(0);
    }

    @Test
    void parsedSelectorKeepsItsTextAndDoesNotMatchAll() throws Exception {
        Selector selector = Selector.parse(" JMSType = 'car' ");
        assertThat(selector.text()).isEqualTo(" JMSType = 'car' ");
        assertThat(selector.matchesAll()).isFalse();
        assertThat(selector.toString()).contains("JMSType");
    }

    @Test
    void trueLiteralMatchesEverythingButIsNotAll() throws Exception {
        Selector selector = Selector.parse("TRUE");
        assertThat(selector.matchesAll()).isFalse();
        assertThat(selector.matches(PropertiesContext.of())).isTrue();
        assertThat(Selector.parse("FALSE").matches(PropertiesContext.of())).isFalse();
    }

    @Test
    void equalityIsByText() throws Exception {
        assertThat(Selector.parse("a = 1")).isEqualTo(Selector.parse("a = 1"))
                .hasSameHashCodeAs(Selector.parse("a = 1"))
                .isNotEqualTo(Selector.parse("a=1"));
    }

    @Test
    void unknownDoesNotMatchAndNeitherDoesItsNegation() {
        assertThat(PropertiesContext.matches("absent = 1")).isFalse();
        assertThat(PropertiesContext.matches("NOT (absent = 1)")).isFalse();
    }

    @Test
    void headerFieldsAreAskedForLikeProperties() {
        Object[] headers = {"JMSDeliveryMode", "PERSISTENT", "JMSPriority", 7, "JMSMessageID", "ID:1",
            "JMSTimestamp", 1_700_000_000_000L, "JMSCorrelationID", "c-1", "JMSType", "order"};
        assertThat(PropertiesContext.matches("JMSDeliveryMode = 'PERSISTENT' AND JMSPriority > 4"
                + " AND JMSMessageID LIKE 'ID:%' AND JMSTimestamp BETWEEN 1600000000000 AND 1800000000000"
                + " AND JMSCorrelationID IN ('c-1', 'c-2') AND JMSType = 'order'", headers)).isTrue();
        assertThat(PropertiesContext.matches("JMSDeliveryMode = 'NON_PERSISTENT'", headers)).isFalse();
        assertThat(PropertiesContext.matches("JMSCorrelationID IS NULL", "JMSType", "x")).isTrue();
    }

    @Test
    void syntaxErrorNamesTheProblemAndItsPosition() {
        assertThatThrownBy(() -> Selector.parse("a = 1 AND b >> 2"))
                .isInstanceOfSatisfying(SelectorSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(13);
                    assertThat(e.selector()).isEqualTo("a = 1 AND b >> 2");
                    assertThat(e.problem()).contains("'>'");
                    assertThat(e.getMessage()).contains("position 13").contains("a = 1 AND b >> 2");
                });
    }

    @Test
    void evaluationToleratesValuesOfUnexpectedClasses() {
        Object[] odd = {"c", 'x', "big", new java.math.BigDecimal("1"), "bytes", new byte[] {1}};
        assertThat(PropertiesContext.matches("c = 'x' OR big = 1 OR bytes = 1 OR c + 1 = 2 OR c LIKE 'x'"
                + " OR big IN ('1') OR bytes BETWEEN 0 AND 2 OR c", odd)).isFalse();
        assertThat(PropertiesContext.matches("c IS NOT NULL AND big IS NOT NULL", odd)).isTrue();
    }

    @Test
    @Timeout(30)
    void oneSelectorServesManyThreads() throws Exception {
        Selector selector = Selector.parse("n * 2 > 10 AND s LIKE 'a%'");
        Thread[] threads = new Thread[4];
        AtomicInteger wrong = new AtomicInteger();
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    boolean expected = i * 2 > 10 && i % 2 == 0;
                    if (selector.matches(PropertiesContext.of("n", i, "s", i % 2 == 0 ? "abc" : "xyz")) != expected) {
                        wrong.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        assertThat(wrong).hasValue(0);
    }
}
