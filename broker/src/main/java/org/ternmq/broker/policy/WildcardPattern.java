package org.ternmq.broker.policy;

import java.util.Arrays;
import java.util.Objects;

/**
 * A destination-name pattern: words separated by {@code .}, where {@code *} matches exactly one word and
 * {@code #} matches zero or more words. {@code orders.#} matches {@code orders}, {@code orders.eu} and
 * {@code orders.eu.paris}; {@code orders.*} matches only {@code orders.eu}. Immutable.
 *
 * <p>Specificity orders overlapping patterns: more literal words first, then more {@code *} words (a
 * {@code *} pins a word, a {@code #} does not), then fewer {@code #}; {@code #} alone is the least specific.
 */
public final class WildcardPattern implements Comparable<WildcardPattern> {

    private final String text;
    private final String[] words;
    private final int literals;
    private final int singles;
    private final int multis;

    private WildcardPattern(String text) {
        this.text = text;
        this.words = text.split("\\.", -1);
        int l = 0;
        int s = 0;
        int m = 0;
        for (String w : words) {
            if (w.isEmpty()) {
                throw new IllegalArgumentException("pattern '" + text + "' has an empty word");
            }
            if (w.equals("*")) {
                s++;
            } else if (w.equals("#")) {
                m++;
            } else if (w.contains("*") || w.contains("#")) {
                throw new IllegalArgumentException("pattern '" + text + "': wildcards must be whole words");
            } else {
                l++;
            }
        }
        this.literals = l;
        this.singles = s;
        this.multis = m;
    }

    /** @throws IllegalArgumentException for an empty pattern or wildcards inside words */
    public static WildcardPattern parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("pattern must not be empty");
        }
        return new WildcardPattern(text);
    }

    public String text() {
        return text;
    }

    public boolean matches(String name) {
        return matches(words, 0, name.split("\\.", -1), 0);
    }

    private static boolean matches(String[] p, int pi, String[] n, int ni) {
        if (pi == p.length) {
            return ni == n.length;
        }
        String w = p[pi];
        if (w.equals("#")) {
            for (int skip = ni; skip <= n.length; skip++) {
                if (matches(p, pi + 1, n, skip)) {
                    return true;
                }
            }
            return false;
        }
        if (ni == n.length) {
            return false;
        }
        return (w.equals("*") || w.equals(n[ni])) && matches(p, pi + 1, n, ni + 1);
    }

    /** Negative when this pattern is MORE specific than {@code other} (so sorting puts the most specific first). */
    @Override
    public int compareTo(WildcardPattern other) {
        if (literals != other.literals) {
            return Integer.compare(other.literals, literals);
        }
        if (singles != other.singles) {
            return Integer.compare(other.singles, singles);
        }
        if (multis != other.multis) {
            return Integer.compare(multis, other.multis);
        }
        return text.compareTo(other.text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WildcardPattern w && w.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, Arrays.hashCode(words));
    }

    @Override
    public String toString() {
        return text;
    }
}
