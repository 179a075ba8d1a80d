package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.Manage;
import org.ternmq.protocol.ManageResult;
import org.ternmq.protocol.XidValue;
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
    public static final String LIST_PREPARED = "list-prepared";
    public static final String COMMIT_PREPARED = "commit-prepared";
    public static final String ROLLBACK_PREPARED = "rollback-prepared";
    public static final String LIST_HEURISTIC = "list-heuristic";
    public static final String FORGET = "forget";
    public static final String LIST_HALF = "list-half";
    public static final String COMMIT_HALF = "commit-half";
    public static final String ROLLBACK_HALF = "rollback-half";
    public static final String FIND_MESSAGES = "find-messages";
    public static final String TRACE_MESSAGE = "trace-message";
    public static final String REPLAY = "replay";
    /** The statistics snapshot ({@link BrokerStatistics}) as JSON. */
    public static final String STATS = "stats";
    public static final String CREATE_QUEUE = "create-queue";
    public static final String DELETE_QUEUE = "delete-queue";
    public static final String DELETE_SUBSCRIPTION = "delete-subscription";
    public static final String PAUSE = "pause";
    public static final String RESUME = "resume";
    public static final String LIST_LARGE = "list-large";
    /** Every operation, as the CLI lists them. */
    public static final java.util.List<String> OPERATIONS = java.util.List.of(LIST_QUEUES, MOVE_MESSAGES, PURGE,
            LIST_PREPARED, COMMIT_PREPARED, ROLLBACK_PREPARED, LIST_HEURISTIC, FORGET, LIST_HALF, COMMIT_HALF,
            ROLLBACK_HALF, FIND_MESSAGES, TRACE_MESSAGE, REPLAY, STATS, CREATE_QUEUE, DELETE_QUEUE, DELETE_SUBSCRIPTION,
            PAUSE, RESUME, LIST_LARGE);
    /** The operations that name a half-message (its id, in the queue field). */
    public static final java.util.List<String> HALF_OPERATIONS = java.util.List.of(COMMIT_HALF, ROLLBACK_HALF);
    /** The operations that name an XA branch (its Xid, {@code formatId:gtridHex:bqualHex}, in the queue field). */
    public static final java.util.List<String> XID_OPERATIONS = java.util.List.of(COMMIT_PREPARED, ROLLBACK_PREPARED,
            FORGET);

    private final BrokerAgent agent;

    ManagementOperations(BrokerAgent agent) {
        this.agent = agent;
    }

    /**
     * Runs {@code request} and hands its result to {@code answer}: at once, or (for the operations that end
     * an XA branch) once the store has the outcome. Agent thread.
     *
     * @throws BrokerException when the request is refused (nothing was done then)
     */
    public void run(Manage request, java.util.function.Consumer<ManageResult> answer) throws BrokerException {
        String op = request.operation() == null ? "" : request.operation();
        long corr = request.correlationId();
        switch (op) {
            case COMMIT_PREPARED, ROLLBACK_PREPARED ->
                agent.xa().completeByOperator(xid(request), op.equals(COMMIT_PREPARED),
                        text -> answer.accept(new ManageResult(corr, text.startsWith("failed") ? 0 : 1, text)));
            case FORGET -> {
                XidValue xid = xid(request);
                agent.xa().forgetByOperator(xid, () -> answer.accept(new ManageResult(corr, 1, "forgot " + xid)));
            }
            case COMMIT_HALF, ROLLBACK_HALF -> {
                if (request.queue() == null || request.queue().isBlank()) {
                    throw new BrokerException(ErrorCode.INVALID_DESTINATION, op + " needs a half-message id");
                }
                boolean commit = op.equals(COMMIT_HALF);
                agent.halves().complete(request.queue(), commit, "by an operator", failure -> answer.accept(
                        new ManageResult(corr, failure == null ? 1 : 0, failure == null ? (commit ? "committed" : "rolled back")
                                + " half-message " + request.queue() : "failed: " + failure)));
            }
            case REPLAY -> {
                MessageQueue q = namedQueue(request.queue());
                Map<String, String> from = parameters(request.target());
                if (from.containsKey("id") == from.containsKey("time")) {
                    throw new BrokerException(ErrorCode.MALFORMED, "replay needs where to start: time=INSTANT or id=MESSAGE_ID");
                }
                int count = agent.retention().replay(q, from.containsKey("time") ? instant(from.get("time")) : 0,
                        from.get("id"));
                ManageResult replayed = new ManageResult(corr, count, "replayed " + count + " message(s) into "
                        + request.queue());
                answerWhenForced(replayed, answer);
            }
            case PURGE -> purge(request, answer);
            case DELETE_QUEUE -> {
                int n = agent.destinationAdmin().deleteQueue(request.queue());
                answerWhenForced(new ManageResult(corr, 1, "deleted queue " + request.queue() + " with " + n
                        + " message(s)"), answer);
            }
            case DELETE_SUBSCRIPTION -> {
                int n = agent.destinationAdmin().deleteSubscription(request.queue());
                answerWhenForced(new ManageResult(corr, 1, "deleted subscription " + request.queue() + " with " + n
                        + " message(s)"), answer);
            }
            case MOVE_MESSAGES -> {
                ManageResult moved = move(request);
                answerWhenForced(moved, answer);
            }
            default -> answer.accept(run(request));
        }
    }

    private static XidValue xid(Manage request) throws BrokerException {
        try {
            return XidValue.parse(request.queue());
        } catch (IllegalArgumentException e) {
            throw new BrokerException(ErrorCode.MALFORMED, e.getMessage());
        }
    }

    private static ManageResult lines(long corr, List<String> lines, String none) {
        return new ManageResult(corr, lines.size(), lines.isEmpty() ? none : String.join("\n", lines));
    }

    /** Runs a request that answers at once. Agent thread. */
    private ManageResult run(Manage request) throws BrokerException {
        String op = request.operation() == null ? "" : request.operation();
        switch (op) {
            case LIST_PREPARED:
                return lines(request.correlationId(), agent.xa().listPrepared(), "no prepared XA branches");
            case LIST_HEURISTIC:
                return lines(request.correlationId(), agent.xa().listHeuristic(), "no heuristic outcomes");
            case LIST_HALF:
                return lines(request.correlationId(), agent.halves().list(), "no half-messages waiting");
            case LIST_LARGE:
                return lines(request.correlationId(), agent.largeBodies().list(), "no large message bodies stored");
            case FIND_MESSAGES: {
                MessageQueue q = request.queue() == null || request.queue().isBlank() ? null : namedQueue(request.queue());
                Map<String, String> p = parameters(request.target());
                Retention.Query query = new Retention.Query(p.get("id"), p.get("key"),
                        p.containsKey("since") ? instant(p.get("since")) : Long.MIN_VALUE,
                        p.containsKey("until") ? instant(p.get("until")) : Long.MAX_VALUE);
                return lines(request.correlationId(), agent.retention().find(q, query), "no retained message matches");
            }
            case TRACE_MESSAGE: {
                if (request.queue() == null || request.queue().isBlank()) {
                    throw new BrokerException(ErrorCode.INVALID_DESTINATION, "trace-message needs a JMSMessageID");
                }
                return lines(request.correlationId(), agent.retention().trace(request.queue()),
                        "no trace of message '" + request.queue() + "': not waiting on the heap, and not in any history");
            }
            case LIST_QUEUES:
                return listQueues(request.correlationId());
            case STATS:
                return new ManageResult(request.correlationId(), 1, agent.destinationAdmin().statisticsJson());
            case CREATE_QUEUE: {
                boolean created = agent.destinationAdmin().createQueue(request.queue());
                return new ManageResult(request.correlationId(), created ? 1 : 0,
                        (created ? "created queue " : "queue exists already: ") + request.queue());
            }
            case PAUSE, RESUME: {
                agent.destinationAdmin().setPaused(request.queue(), op.equals(PAUSE));
                return new ManageResult(request.correlationId(), 1, (op.equals(PAUSE) ? "paused" : "resumed")
                        + " delivery of " + request.queue());
            }
            default:
                throw new BrokerException(ErrorCode.UNSUPPORTED, "unknown management operation '" + op
                        + "'; known: " + String.join(", ", OPERATIONS));
        }
    }

    /**
     * Purges a queue, answering once every removal is forced to disk: a purge that said it removed messages
     * never sees them come back after a crash. Paged-out messages are dropped a step per agent task; the answer
     * waits for the last step.
     */
    private void purge(Manage request, java.util.function.Consumer<ManageResult> answer) throws BrokerException {
        requireQueue(request);
        agent.mover().purge(request.queue(), selector(request.selector()),
                purged -> answerWhenForced(purgeResult(request, purged), answer));
    }

    private static ManageResult purgeResult(Manage request, MessageMover.Outcome purged) {
        return new ManageResult(request.correlationId(), purged.count(),
                "removed " + purged.count() + " message(s) from " + request.queue() + notExamined(purged));
    }

    private ManageResult move(Manage request) throws BrokerException {
        requireQueue(request);
        MessageMover.Outcome moved = agent.mover().moveMessages(request.queue(), blankToNull(request.target()),
                selector(request.selector()));
        String to = blankToNull(request.target()) == null ? "their original destinations" : request.target();
        return new ManageResult(request.correlationId(), moved.count(),
                "moved " + moved.count() + " message(s) from " + request.queue() + " to " + to + notExamined(moved));
    }

    /** Hands {@code result} to {@code answer} once the current agent task's changes are forced to disk. */
    private void answerWhenForced(ManageResult result, java.util.function.Consumer<ManageResult> answer) {
        agent.storeWriter().afterStored(true, failure -> answer.accept(failure == null ? result
                : new ManageResult(result.correlationId(), 0, "not done: the store failed to record it: " + failure)));
    }

    /** A queue or durable subscription by the name list-queues shows. */
    private MessageQueue namedQueue(String name) throws BrokerException {
        MessageQueue q = name == null ? null : agent.queuesByName().get(name);
        if (q == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no queue or durable subscription '" + name
                    + "' (names as list-queues shows them)");
        }
        return q;
    }

    /** {@code name=value} pairs separated by commas; a value may not contain a comma. */
    private static Map<String, String> parameters(String text) throws BrokerException {
        Map<String, String> p = new TreeMap<>();
        if (text == null || text.isBlank()) {
            return p;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new BrokerException(ErrorCode.MALFORMED, "'" + pair + "' should be name=value");
            }
            p.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return p;
    }

    /** An ISO-8601 instant ({@code 2026-12-03T10:15:30Z}) or epoch milliseconds. */
    static long instant(String text) throws BrokerException {
        try {
            return text.chars().allMatch(Character::isDigit) ? Long.parseLong(text)
                    : java.time.Instant.parse(text).toEpochMilli();
        } catch (RuntimeException e) {
            throw new BrokerException(ErrorCode.MALFORMED, "'" + text + "' is not a time: give an ISO-8601 instant "
                    + "such as 2026-12-03T10:15:30Z, or epoch milliseconds");
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
