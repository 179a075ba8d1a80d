package org.ternmq.selector;

import java.util.Arrays;

/**
 * A compiled LIKE pattern: {@code _} matches any one character, {@code %} any sequence of characters
 * (including none), the escape character makes the next character stand for itself, and every other
 * character stands for itself. The whole string must match.
 *
 * <p>Matched by hand rather than through {@code java.util.regex}: there are no regex metacharacters to
 * escape, matching allocates nothing, and the greedy algorithm with one backtrack point below runs in
 * O(pattern × string) at worst, with no catastrophic backtracking whatever the pattern. Characters are
 * Unicode code points, so {@code _} matches one supplementary character, not half of one. Immutable.
 */
final class LikePattern {

    /** Pattern element matching exactly one character. */
    private static final int ANY_ONE = -1;
    /** Pattern element matching any sequence of characters. */
    private static final int ANY_SEQUENCE = -2;

    private final String source;
    private final int escape;
    /** Code points (>= 0) standing for themselves, or ANY_ONE / ANY_SEQUENCE; runs of % collapsed. */
    private final int[] elements;
    /** The pattern when it has no wildcards, matched by equals; null otherwise. */
    private final String exact;

    private LikePattern(String source, int escape, int[] elements) {
        this.source = source;
        this.escape = escape;
        this.elements = elements;
        this.exact = Arrays.stream(elements).allMatch(e -> e >= 0) ? new String(elements, 0, elements.length) : null;
    }

    /**
     * @param pattern the pattern string literal's value
     * @param escape the escape code point, or -1 for none
     * @throws IllegalArgumentException if the pattern ends with a lone escape character
     */
    static LikePattern compile(String pattern, int escape) {
        int[] elements = new int[pattern.length()];
        int count = 0;
        int i = 0;
        while (i < pattern.length()) {
            int c = pattern.codePointAt(i);
            i += Character.charCount(c);
            if (c == escape) {
                if (i >= pattern.length()) {
                    throw new IllegalArgumentException("the LIKE pattern ends with its ESCAPE character");
                }
                c = pattern.codePointAt(i);
                i += Character.charCount(c);
                elements[count++] = c;
            } else if (c == '_') {
                elements[count++] = ANY_ONE;
            } else if (c == '%') {
                if (count == 0 || elements[count - 1] != ANY_SEQUENCE) {
                    elements[count++] = ANY_SEQUENCE;
                }
            } else {
                elements[count++] = c;
            }
        }
        return new LikePattern(pattern, escape, Arrays.copyOf(elements, count));
    }

    /** @return whether the whole of {@code value} matches this pattern */
    boolean matches(String value) {
        if (exact != null) {
            return exact.equals(value);
        }
        int s = 0;
        int p = 0;
        // Where the last % was in the pattern, and where in the value its current match ends.
        int starP = -1;
        int starS = -1;
        while (s < value.length()) {
            int c = value.codePointAt(s);
            if (p < elements.length && (elements[p] == ANY_ONE || elements[p] == c)) {
                s += Character.charCount(c);
                p++;
            } else if (p < elements.length && elements[p] == ANY_SEQUENCE) {
                starP = p++;
                starS = s;
            } else if (starP >= 0) {
                // Let the last % swallow one more character and retry the rest of the pattern from there.
                starS += Character.charCount(value.codePointAt(starS));
                s = starS;
                p = starP + 1;
            } else {
                return false;
            }
        }
        while (p < elements.length && elements[p] == ANY_SEQUENCE) {
            p++;
        }
        return p == elements.length;
    }

    @Override
    public String toString() {
        String text = "'" + source.replace("'", "''") + "'";
        return escape < 0 ? text : text + " ESCAPE '" + new String(Character.toChars(escape)).replace("'", "''") + "'";
    }
}
