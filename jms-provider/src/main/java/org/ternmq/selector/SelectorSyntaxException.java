package org.ternmq.selector;

/**
 * A message selector that is not valid Jakarta Messaging selector syntax, or that can be seen to be
 * ill-typed before any message is looked at (for example {@code myProp > 'foo'} or {@code TRUE = 0}).
 * The JMS facade turns it into {@code jakarta.jms.InvalidSelectorException}.
 */
public class SelectorSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String problem;
    private final String selector;
    private final int position;

    /**
     * @param problem what is wrong, for example {@code "expected ')'"}
     * @param selector the whole selector text
     * @param position the 0-based index in {@code selector} where the problem was found
     */
    public SelectorSyntaxException(String problem, String selector, int position) {
        super(problem + " at position " + position + " in selector: " + selector);
        this.problem = problem;
        this.selector = selector;
        this.position = position;
    }

    /** @return what is wrong, without the position and selector text */
    public String problem() {
        return problem;
    }

    /** @return the selector text that failed to parse */
    public String selector() {
        return selector;
    }

    /** @return the 0-based index into {@link #selector()} where the problem was found */
    public int position() {
        return position;
    }
}
