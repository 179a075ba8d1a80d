package org.ternmq.client;

/**
 * Hears that a connection to the broker was lost (network failure, or the broker's {@code Disconnect}).
 * Called once, on a Netty event-loop thread: implementations must not block and should hand the event
 * to a thread of their own.
 */
@FunctionalInterface
public interface ConnectionListener {

    void connectionFailed(ClientException cause);
}
