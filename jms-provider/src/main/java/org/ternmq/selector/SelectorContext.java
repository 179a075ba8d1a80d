package org.ternmq.selector;

/**
 * What a {@link Selector} reads from one message: its header fields and properties, by name.
 *
 * <p>Selectors ask for the header fields {@code JMSDeliveryMode} (the strings {@code "PERSISTENT"} or
 * {@code "NON_PERSISTENT"}), {@code JMSPriority}, {@code JMSMessageID}, {@code JMSTimestamp},
 * {@code JMSCorrelationID} and {@code JMSType} exactly like any property; an implementation decides
 * where each comes from. Values are never converted: a property set as a string and compared with a
 * number simply does not match, as the specification requires.
 *
 * <p>Called on whichever thread evaluates the selector, once per identifier occurrence, so an
 * implementation should be cheap (no decoding of the whole message per call).
 */
@FunctionalInterface
public interface SelectorContext {

    /**
     * The value of a header field or property.
     *
     * @param name the identifier exactly as written in the selector (identifiers are case-sensitive)
     * @return a {@code String}, {@code Boolean}, {@code Byte}, {@code Short}, {@code Integer}, {@code Long},
     *     {@code Float} or {@code Double}, or {@code null} if the message has no such field or property.
     *     Any other type is treated as a value no selector operator accepts (comparisons are false).
     */
    Object identifier(String name);
}
