package org.ternmq.broker.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class WildcardPatternTest {

    @Test
    void hashMatchesZeroOrMoreWordsAndStarExactlyOne() {
        WildcardPattern hash = WildcardPattern.parse("orders.#");
        assertThat(hash.matches("orders")).isTrue();
        assertThat(hash.matches("orders.eu")).isTrue();
        assertThat(hash.matches("orders.eu.paris")).isTrue();
        assertThat(hash.matches("ordersx")).isFalse();
        assertThat(hash.matches("returns.eu")).isFalse();

        WildcardPattern star = WildcardPattern.parse("orders.*");
        assertThat(star.matches("orders.eu")).isTrue();
        assertThat(star.matches("orders")).isFalse();
        assertThat(star.matches("orders.eu.paris")).isFalse();

        assertThat(WildcardPattern.parse("#").matches("anything.at.all")).isTrue();
        assertThat(WildcardPattern.parse("a.#.z").matches("a.z")).isTrue();
        assertThat(WildcardPattern.parse("a.#.z").matches("a.b.c.z")).isTrue();
        assertThat(WildcardPattern.parse("a.#.z").matches("a.b.c")).isFalse();
        assertThat(WildcardPattern.parse("exact").matches("exact")).isTrue();
        assertThat(WildcardPattern.parse("exact").matches("exact.not")).isFalse();
    }

    @Test
    void mostSpecificSortsFirst() {
        List<WildcardPattern> patterns = new ArrayList<>(List.of(WildcardPattern.parse("#"),
                WildcardPattern.parse("orders.#"), WildcardPattern.parse("orders.eu"),
                WildcardPattern.parse("orders.*"), WildcardPattern.parse("*.eu")));
        Collections.shuffle(patterns, new java.util.Random(1));
        Collections.sort(patterns);
        assertThat(patterns).extracting(WildcardPattern::text)
                .containsExactly("orders.eu", "*.eu", "orders.*", "orders.#", "#"); // equal ranks: by text
    }

    @Test
    void malformedPatternsAreRejected() {
        assertThatThrownBy(() -> WildcardPattern.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WildcardPattern.parse("a..b")).hasMessageContaining("empty word");
        assertThatThrownBy(() -> WildcardPattern.parse("ord*")).hasMessageContaining("whole words");
    }
}
