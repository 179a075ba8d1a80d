package org.ternmq.jms;

import java.util.ArrayDeque;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.client.ClientBrowser;
import org.ternmq.client.ClientException;
import org.ternmq.jms.destination.TernDestination;
import org.ternmq.jms.message.TernMessage;
import org.ternmq.message.EncodedMessage;

/**
 * The classic API queue browser. Each {@link #getEnumeration()} browses a fresh snapshot of the queue,
 * fetched from the broker in batches as the enumeration advances.
 *
 * <p>Thread-safety: for the session's application thread; {@link #close()} from any thread.
 */
public class TernQueueBrowser implements QueueBrowser {

    private static final Logger LOG = LoggerFactory.getLogger(TernQueueBrowser.class);
    private static final int BATCH = 100;

    private final TernSession session;
    private final Queue queue;
    private final String selector;
    private final Set<ClientBrowser> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    TernQueueBrowser(TernSession session, Queue queue, String selector) {
        this.session = session;
        this.queue = queue;
        this.selector = selector;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("browser is closed");
        }
        session.checkOpen();
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public Enumeration<Message> getEnumeration() throws JMSException {
        checkOpen();
        ClientBrowser browser;
        try {
            browser = session.client().createBrowser(((TernDestination) queue).address(), selector);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
        open.add(browser);
        return new BrowseEnumeration(browser);
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        for (ClientBrowser browser : open) {
            closeQuietly(browser);
        }
        open.clear();
        session.removed(this);
    }

    private void closeQuietly(ClientBrowser browser) {
        open.remove(browser);
        try {
            browser.close();
        } catch (ClientException e) {
            LOG.debug("closing browser {}: {}", browser.id(), e.getMessage());
        }
    }

    /** Fetches the next batch when the current one is used up; the broker's browser closes when done. */
    private final class BrowseEnumeration implements Enumeration<Message> {
        private final ClientBrowser browser;
        private final ArrayDeque<EncodedMessage> batch = new ArrayDeque<>();

        BrowseEnumeration(ClientBrowser browser) {
            this.browser = browser;
        }

        @Override
        public boolean hasMoreElements() {
            while (batch.isEmpty() && !browser.isDone() && !closed) {
                try {
                    List<EncodedMessage> next = browser.next(BATCH);
                    batch.addAll(next);
                } catch (ClientException e) {
                    LOG.warn("browsing {} failed: {}", queue, e.getMessage());
                    closeQuietly(browser);
                    return false;
                }
            }
            if (batch.isEmpty()) {
                closeQuietly(browser);
                return false;
            }
            return true;
        }

        @Override
        public Message nextElement() {
            if (!hasMoreElements()) {
                throw new NoSuchElementException("no more messages in the browsed queue");
            }
            // a browsed message was not delivered: no delivery count (JMSXDeliveryCount unset)
            return session.connection().trust(TernMessage.decode(batch.poll(), 0));
        }
    }
}
