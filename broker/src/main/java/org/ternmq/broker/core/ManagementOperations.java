package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.Manage;
import org.ternmq.protocol.ManageResult;
import org.ternmq.selector.Selector;
import org.ternmq.selector.SelectorSyntaxException;

/**
 * The broker's management operations, whoever asks (a client's {@link Manage} request, JMX, an embedding
 * application). Runs on the agent thread, like everything that touches queues.
 */
public final class ManagementOperations {

    /** Operation names, as the CLI and the protocol spell them. */
    public static final String LIST_QUEUES = "list-queues";
    public static final String MOVE_MESSAGES = "move-messages";
    public static final String PURGE = "purge";

    private final BrokerAgent agent;

    ManagementOperations(BrokerAgent agent) {
        this.agent = agent;
    }

    /** Runs {@code request}. Agent thread. */
    public ManageResult run(Manage request) throws BrokerException {
        String op = request.operation() == null ? "" : request.operation();
        switch (op) {
            case LIST_QUEUES:
                return listQueues(request.correlationId());
            case MOVE_MESSAGES: {
                requireQueue(request);
                MessageMover.Outcome moved = agent.mover().moveMessages(request.queue(), blankToNull(request.target()),
                        selector(request.selector()));
                String to = blankToNull(request.target()) == null ? "their original destinations" : request.target();
                return new ManageResult(request.correlationId(), moved.count(),
                        "moved " + moved.count() + " message(s) from " + request.queue() + " to " + to + notExamined(moved));
            }
            case PURGE: {
                requireQueue(request);
                MessageMover.Outcome purged = agent.mover().purge(request.queue(), selector(request.selector()));
                return new ManageResult(request.correlationId(), purged.count(),
                        "removed " + purged.count() + " message(s) from " + request.queue() + notExamined(purged));
            }
            default:
                throw new BrokerException(ErrorCode.UNSUPPORTED, "unknown management operation '" + op
                        + "'; known: " + LIST_QUEUES + ", " + MOVE_MESSAGES + ", " + PURGE);
        }
    }

    private static String notExamined(MessageMover.Outcome outcome) {
        return outcome.notExamined() == 0 ? "" : "; " + outcome.notExamined()
                + " message(s) paged out to the journal were not examined: they are reached as the queue drains";
    }

    private ManageResult listQueues(long corr) {
        Map<String, MessageQueue> all = new TreeMap<>(agent.queuesByName());
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-40s %10s %10s", "QUEUE", "MESSAGES", "CONSUMERS"));
        for (Map.Entry<String, MessageQueue> e : all.entrySet()) {
            lines.add(String.format("%-40s %10d %10d", e.getKey(), e.getValue().messageCount(),
                    e.getValue().consumers().size()));
        }
        return new ManageResult(corr, all.size(), String.join("\n", lines));
    }

    private static void requireQueue(Manage request) throws BrokerException {
        if (request.queue() == null || request.queue().isBlank()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, request.operation() + " needs a queue");
        }
    }

    private static Selector selector(String text) throws BrokerException {
        try {
            Selector s = Selector.parse(text);
            return s.matchesAll() ? null : s;
        } catch (SelectorSyntaxException e) {
            throw new BrokerException(ErrorCode.INVALID_SELECTOR, "invalid selector: " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
