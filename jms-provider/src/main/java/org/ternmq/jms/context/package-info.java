/**
 * The simplified API of Jakarta Messaging 3.1 ({@code JMSContext}, {@code JMSProducer}, {@code JMSConsumer}),
 * written only against the classic {@code jakarta.jms} interfaces so that it works over any classic
 * implementation: the entry point is {@link org.ternmq.jms.context.TernJMSContext#create}, given a
 * {@code Connection} that the new context then owns.
 *
 * <p>How the pieces map:
 * <pre>
 *   TernJMSContext ──► ConnectionShare ──► Connection   (shared by createContext(int), closed by the last user)
 *        │        └──► Session (created on first need, so setClientID still works right after create)
 *        │        └──► one anonymous MessageProducer, used by every TernJMSProducer of the context
 *        └── TernJMSConsumer ──► MessageConsumer       (listeners wrapped by ContextMessageListener)
 * </pre>
 *
 * <p>Rules this layer enforces itself rather than leaving to the classic one: session-mode validation;
 * {@code IllegalStateRuntimeException} for {@code close}/{@code commit}/{@code rollback} from a
 * {@code CompletionListener} of the same context, {@code close} from a {@code MessageListener} of the same
 * context and {@code stop} from a {@code MessageListener} of any context on the connection (see
 * {@link org.ternmq.jms.context.CallbackScope}); {@code acknowledge()} as "acknowledge the session" through
 * the last message consumed; {@code JMSProducer} property and option rules; {@code receiveBody} rules. Every
 * checked exception of the classic layer is turned into its runtime twin by
 * {@link org.ternmq.jms.context.RuntimeExceptions}, which other packages may reuse.
 *
 * <p>Known limit: when {@code receiveBody} fails in AUTO_ACKNOWLEDGE or DUPS_OK_ACKNOWLEDGE mode the classic
 * consumer has already acknowledged the message, so the consumer keeps it and hands it out again first; it is
 * lost if the consumer is closed before that.
 */
package org.ternmq.jms.context;
