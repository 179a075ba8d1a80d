package org.ternmq.selector;

/**
 * A parsed Jakarta Messaging message selector (specification section 3.8.1): the SQL-92 conditional
 * expression subset that decides, from a message's header fields and properties, whether a consumer gets
 * the message.
 *
 * <p>Parse once, when the consumer is created (a syntax error then becomes
 * {@code InvalidSelectorException}), and evaluate per message with {@link #matches}. Immutable and
 * thread-safe: one instance may be evaluated by any number of threads at once. Evaluation never throws
 * because of a message's values and allocates nothing unless the selector does arithmetic.
 */
public final class Selector {

    /** A selector that matches every message (what null, "" or whitespace-only text parses to). */
    public static final Selector ALL = new Selector("", null);

    private final String text;
    /** The expression tree; null for {@link #ALL}. */
    private final Expression root;

    private Selector(String text, Expression root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Parses a selector.
     *
     * @param text the selector; {@code null}, empty or only whitespace means "every message"
     * @return the parsed selector, {@link #ALL} for a blank one
     * @throws SelectorSyntaxException with a message naming the problem and its position, when the text is
     *     not a valid selector or can be seen to be ill-typed (such as {@code myProp > 'foo'})
     */
    public static Selector parse(String text) throws SelectorSyntaxException {
        if (text == null || isBlank(text)) {
            return ALL;
        }
        return new Selector(text, SelectorParser.parse(text));
    }

    /**
     * Evaluates this selector against one message.
     *
     * @param message the message's header fields and properties
     * @return true only when the selector is TRUE for the message; FALSE and UNKNOWN (for example a
     *     comparison with an absent property) do not match
     */
    public boolean matches(SelectorContext message) {
        return root == null || Boolean.TRUE.equals(root.evaluate(message));
    }

    /** @return the selector text as given to {@link #parse}, or "" for {@link #ALL} */
    public String text() {
        return text;
    }

    /** @return whether this selector matches every message without looking at it */
    public boolean matchesAll() {
        return root == null;
    }

    /** Two selectors are equal when their texts are: that is what JMS compares for durable subscriptions. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Selector && ((Selector) other).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** @return the text and, for debugging, the expression tree with its grouping made explicit */
    @Override
    public String toString() {
        return root == null ? "Selector[ALL]" : "Selector[" + text + " => " + root + "]";
    }

    /** Blank means only the whitespace the selector grammar itself skips (Java's). */
    private static boolean isBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\f' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
