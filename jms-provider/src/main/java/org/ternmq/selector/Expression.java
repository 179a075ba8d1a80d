package org.ternmq.selector;

/**
 * A node of a parsed selector's expression tree. Nodes are immutable, so a tree may be evaluated by any
 * number of threads at once.
 *
 * <p>Evaluation returns the value with SQL's NULL as {@code null}. Conditions return
 * {@link Boolean#TRUE}, {@link Boolean#FALSE} or {@code null} for UNKNOWN; numbers are boxed
 * {@code Long}, {@code Float} or {@code Double} (or whatever boxed type a message property had).
 * Evaluation never throws because of the values it meets: a value of the wrong type gives UNKNOWN or
 * FALSE as the specification says, never an exception. Only arithmetic allocates (boxing its result);
 * comparisons, LIKE, IN and logic allocate nothing.
 */
interface Expression {

    /** @return the value of this expression for one message, {@code null} meaning NULL/UNKNOWN */
    Object evaluate(SelectorContext message);

    /** @return what the parser knows of this expression's type */
    ValueType type();
}
