/**
 * Jakarta Messaging message selectors (specification 3.1, section 3.8.1): parsing and evaluation, with
 * no dependency on the rest of Tern, so the broker and the client share one implementation and the
 * tests need no broker.
 *
 * <h2>Use</h2>
 * {@link org.ternmq.selector.Selector#parse} turns the text into an immutable expression tree, or throws
 * {@link org.ternmq.selector.SelectorSyntaxException} (which the JMS facade maps to
 * {@code InvalidSelectorException}). {@link org.ternmq.selector.Selector#matches} evaluates it against a
 * {@link org.ternmq.selector.SelectorContext}, which supplies header fields and properties by name. A
 * blank or null selector is {@link org.ternmq.selector.Selector#ALL}.
 *
 * <h2>Pieces</h2>
 * <pre>
 *   text --SelectorLexer--&gt; tokens --SelectorParser--&gt; Expression tree --evaluate(SelectorContext)--&gt; TRUE/FALSE/UNKNOWN
 * </pre>
 * The lexer and the recursive-descent parser are written by hand (no generator); the parser documents the
 * grammar and precedence. Each operator is one small {@code Expression} class; {@code NumericPromotion}
 * holds arithmetic and numeric comparison; {@code TruthValues} the three-valued logic; {@code LikePattern}
 * a hand-written LIKE matcher (no regular expressions, so no metacharacter escaping and no catastrophic
 * backtracking).
 *
 * <h2>Semantics, where the specification leaves room</h2>
 * <ul>
 *   <li>Checked at parse time: reserved words (NULL, TRUE, FALSE, NOT, AND, OR, BETWEEN, LIKE, IN, IS,
 *       ESCAPE, in any case) are not identifiers; NULL appears only in {@code IS [NOT] NULL}; the selector
 *       must be a condition (a bare identifier counts, and matches when it holds boolean TRUE); ordering
 *       operators, arithmetic and BETWEEN take numbers; {@code =}/{@code <>} may not compare literals of
 *       unlike types; IN takes string literals only; LIKE takes a string pattern and a one-character
 *       ESCAPE, and an escape at the very end of the pattern is an error. The left side of IN, LIKE and
 *       IS NULL must be an identifier.</li>
 *   <li>Comparing values of unlike types (a string property with a number) is FALSE, as the
 *       specification says, for every comparison operator including {@code <>}; BETWEEN follows from its
 *       definition as two comparisons. IN and LIKE on a value that is not a string are UNKNOWN, so neither
 *       {@code IN} nor {@code NOT IN} matches a number. Arithmetic on a non-number is NULL.</li>
 *   <li>Numbers follow Java's binary numeric promotion (integral as {@code long}, float, double), except
 *       that integral overflow yields the {@code double} result instead of wrapping, and division by zero
 *       (integral or floating) is NULL. Integer literals may be decimal, octal, hexadecimal or binary,
 *       with an optional {@code L}, and are always {@code long}; a minus sign directly before a literal is
 *       folded into it, which is how {@code -9223372036854775808} is written.</li>
 *   <li>Identifiers are looked up as written, header fields included: the context decides what
 *       {@code JMSDeliveryMode} ({@code 'PERSISTENT'}/{@code 'NON_PERSISTENT'}), {@code JMSPriority} and
 *       the other header names hold.</li>
 * </ul>
 *
 * <h2>Threads and cost</h2>
 * Parsing is single-threaded per call and allocates freely. A parsed {@code Selector} is immutable and
 * may be evaluated concurrently by any threads. Evaluation never throws because of message values and
 * allocates nothing except the boxed results of arithmetic.
 */
package org.ternmq.selector;
