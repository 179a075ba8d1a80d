package org.ternmq.broker.management;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ternmq.broker.core.BrokerAgent;
import org.ternmq.broker.core.BrokerException;
import org.ternmq.broker.core.ManagementOperations;
import org.ternmq.protocol.Manage;
import org.ternmq.protocol.ManageResult;

/**
 * Management of a running broker for the application that embeds it and for JMX: each call is handed to
 * the broker's agent thread and waits for its result. Thread-safe.
 */
public final class BrokerManagement implements BrokerManagementMBean {

    private final BrokerAgent agent;
    private volatile org.ternmq.broker.core.BrokerStatistics cached;
    private volatile long cachedAtNanos;

    public BrokerManagement(BrokerAgent agent) {
        this.agent = agent;
    }

    /** A statistics snapshot at most half a second old (JMX asks for each attribute on its own). */
    public org.ternmq.broker.core.BrokerStatistics recentStatistics() {
        org.ternmq.broker.core.BrokerStatistics s = cached;
        if (s == null || System.nanoTime() - cachedAtNanos > 500_000_000L) {
            s = statistics();
            cached = s;
            cachedAtNanos = System.nanoTime();
        }
        return s;
    }

    @Override
    public long getUptime() {
        org.ternmq.broker.core.BrokerStatistics s = recentStatistics();
        return System.currentTimeMillis() - s.startedAt();
    }

    @Override
    public String getVersion() {
        return org.ternmq.broker.core.BrokerVersion.VERSION;
    }

    @Override
    public int getConnections() {
        return recentStatistics().connections();
    }

    @Override
    public int getSessions() {
        return recentStatistics().sessions();
    }

    @Override
    public long getMemoryBytes() {
        return recentStatistics().memoryBytes();
    }

    @Override
    public long getMaxMemory() {
        return recentStatistics().maxMemory();
    }

    @Override
    public String getStoreState() {
        String fenced = recentStatistics().storeFenced();
        return fenced == null ? "healthy" : "fenced: " + fenced;
    }

    @Override
    public int getPreparedBranches() {
        return recentStatistics().preparedBranches();
    }

    @Override
    public int getDestinationCount() {
        return recentStatistics().destinations().size();
    }

    @Override
    public boolean createQueue(String name) {
        return run(new Manage(0, ManagementOperations.CREATE_QUEUE, name, null, null)).count() == 1;
    }

    /** Deletes a queue with its messages (refused while it has consumers); returns the result's text. */
    public String deleteQueue(String name) {
        return run(new Manage(0, ManagementOperations.DELETE_QUEUE, name, null, null)).text();
    }

    /** Deletes a durable subscription ({@code topic::clientId.name}) with its messages. */
    public String deleteSubscription(String name) {
        return run(new Manage(0, ManagementOperations.DELETE_SUBSCRIPTION, name, null, null)).text();
    }

    /** The consumers of a queue or subscription, one line each (consumer, connection, client id, user, address). */
    public java.util.List<String> consumers(String name) {
        CompletableFuture<java.util.List<String>> result = new CompletableFuture<>();
        agent.execute(() -> {
            try {
                result.complete(agent.destinationAdmin().consumers(name));
            } catch (BrokerException e) {
                result.completeExceptionally(new IllegalArgumentException(e.getMessage()));
            }
        });
        return await(result, 10, TimeUnit.SECONDS, "10 seconds");
    }

    /** Pauses or resumes delivery of a queue or durable subscription. */
    public void setPaused(String name, boolean paused) {
        run(new Manage(0, paused ? ManagementOperations.PAUSE : ManagementOperations.RESUME, name, null, null));
    }

    /**
     * The messages waiting on the heap of a queue or subscription, as {@link MessageView}s, without consuming
     * them: those {@code selector} selects, from {@code offset} on, at most {@code max}.
     *
     * @throws IllegalArgumentException for an unknown destination or a bad selector
     */
    public java.util.List<java.util.Map<String, Object>> browse(String name, String selector, int offset, int max) {
        CompletableFuture<java.util.List<org.ternmq.broker.core.DestinationAdmin.Browsed>> result = new CompletableFuture<>();
        agent.execute(() -> {
            try {
                result.complete(agent.destinationAdmin().browse(name, selector, offset, max));
            } catch (BrokerException e) {
                result.completeExceptionally(new IllegalArgumentException(e.getMessage()));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        java.util.List<java.util.Map<String, Object>> views = new java.util.ArrayList<>();
        try {
            for (org.ternmq.broker.core.DestinationAdmin.Browsed b : await(result, 10, TimeUnit.SECONDS, "10 seconds")) {
                java.util.Map<String, Object> view = MessageView.of(org.ternmq.jms.message.TernMessage.decode(b.message(), 0));
                view.put("deliveryAttempts", b.deliveryCount());
                views.add(view);
            }
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException("a message could not be read: " + e.getMessage(), e);
        }
        return views;
    }

    @Override
    public String listQueues() {
        return run(new Manage(0, ManagementOperations.LIST_QUEUES, null, null, null)).text();
    }

    @Override
    public int moveMessages(String fromQueue, String toQueue, String selector) {
        return (int) run(new Manage(0, ManagementOperations.MOVE_MESSAGES, fromQueue, toQueue, selector)).count();
    }

    @Override
    public int purge(String queue, String selector) {
        return (int) run(new Manage(0, ManagementOperations.PURGE, queue, null, selector)).count();
    }

    @Override
    public String listPrepared() {
        return run(new Manage(0, ManagementOperations.LIST_PREPARED, null, null, null)).text();
    }

    @Override
    public String commitPrepared(String xid) {
        return outcome(run(new Manage(0, ManagementOperations.COMMIT_PREPARED, xid, null, null)));
    }

    @Override
    public String rollbackPrepared(String xid) {
        return outcome(run(new Manage(0, ManagementOperations.ROLLBACK_PREPARED, xid, null, null)));
    }

    @Override
    public String listHeuristic() {
        return run(new Manage(0, ManagementOperations.LIST_HEURISTIC, null, null, null)).text();
    }

    @Override
    public String forget(String xid) {
        return outcome(run(new Manage(0, ManagementOperations.FORGET, xid, null, null)));
    }

    @Override
    public String listHalf() {
        return run(new Manage(0, ManagementOperations.LIST_HALF, null, null, null)).text();
    }

    @Override
    public String commitHalf(String id) {
        return outcome(run(new Manage(0, ManagementOperations.COMMIT_HALF, id, null, null)));
    }

    @Override
    public String rollbackHalf(String id) {
        return outcome(run(new Manage(0, ManagementOperations.ROLLBACK_HALF, id, null, null)));
    }

    /** @throws IllegalStateException when the operation was accepted but could not be carried out */
    private static String outcome(ManageResult r) {
        if (r.count() == 0) {
            throw new IllegalStateException(r.text());
        }
        return r.text();
    }

    /**
     * A snapshot of the broker's state and counters, taken on the agent thread.
     *
     * @throws IllegalStateException when the broker does not answer within 10 seconds (or is stopped)
     */
    public org.ternmq.broker.core.BrokerStatistics statistics() {
        CompletableFuture<org.ternmq.broker.core.BrokerStatistics> result = new CompletableFuture<>();
        try {
            agent.execute(() -> {
                try {
                    result.complete(agent.statistics());
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the broker is stopped", e);
        }
        return await(result, 10, TimeUnit.SECONDS, "10 seconds");
    }

    /** The agent's answer, or its failure as an unchecked exception; {@code within} words the bound for the message. */
    private static <T> T await(CompletableFuture<T> result, long amount, TimeUnit unit, String within) {
        try {
            return result.get(amount, unit);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + within, e);
        }
    }

    /** @throws IllegalArgumentException when the broker refuses the operation (no such queue, bad selector) */
    public ManageResult run(Manage request) {
        // JMX and the embedding application: whoever holds the JVM (JMX's own authentication guards remote access)
        org.ternmq.broker.security.AuditLog.management("local", "jmx", request.operation(), "queue=" + request.queue()
                + " target=" + request.target() + " selector=" + request.selector(), "allowed");
        CompletableFuture<ManageResult> result = new CompletableFuture<>();
        agent.execute(() -> {
            try {
                agent.management().run(request, result::complete);
            } catch (BrokerException e) {
                result.completeExceptionally(new IllegalArgumentException(e.getMessage()));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return await(result, 10, TimeUnit.MINUTES, "10 minutes");
    }
}
