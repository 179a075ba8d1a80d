package org.ternmq.broker.cli;

import org.ternmq.broker.core.ManagementOperations;
import org.ternmq.protocol.ManageResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The broker's operator operations that {@code tern admin} offers too: in-doubt XA branches, half-messages,
 * message history (find, trace, replay).
 */
final class OperatorCommands {

    private OperatorCommands() {
    }

    /** Like {@link BrokerCommand#printResult}, but an operation that did nothing (count 0) fails. */
    static int mustDoSomething(BrokerCommand cmd, ManageResult r) {
        if (r.count() == 0) {
            throw new CliFailure(CliFailure.REFUSED, r.text());
        }
        return cmd.printResult(r);
    }

    @Command(name = "xa", description = "XA branches in doubt: list, commit, rollback, heuristics, forget.",
            subcommands = {XaList.class, XaCommit.class, XaRollback.class, XaHeuristics.class, XaForget.class})
    static final class Xa {
    }

    @Command(name = "list", description = "Prepared branches waiting for their transaction manager.")
    static final class XaList extends BrokerCommand {
        @Override
        public Integer call() {
            return printResult(manage(ManagementOperations.LIST_PREPARED, null, null, null));
        }
    }

    abstract static class XidCommand extends BrokerCommand {
        @Parameters(paramLabel = "XID", description = "formatId:gtridHex:bqualHex, as xa list shows it")
        String xid;

        int run(String operation) {
            try {
                org.ternmq.protocol.XidValue.parse(xid);
            } catch (IllegalArgumentException e) {
                throw new CliFailure(CliFailure.USAGE, e.getMessage());
            }
            return mustDoSomething(this, manage(operation, xid, null, null));
        }
    }

    @Command(name = "commit", description = "Commit a branch in doubt (a heuristic decision).")
    static final class XaCommit extends XidCommand {
        @Override
        public Integer call() {
            return run(ManagementOperations.COMMIT_PREPARED);
        }
    }

    @Command(name = "rollback", description = "Roll back a branch in doubt (a heuristic decision).")
    static final class XaRollback extends XidCommand {
        @Override
        public Integer call() {
            return run(ManagementOperations.ROLLBACK_PREPARED);
        }
    }

    @Command(name = "heuristics", description = "Branches completed by an operator, not yet forgotten.")
    static final class XaHeuristics extends BrokerCommand {
        @Override
        public Integer call() {
            return printResult(manage(ManagementOperations.LIST_HEURISTIC, null, null, null));
        }
    }

    @Command(name = "forget", description = "Forget a heuristic outcome.")
    static final class XaForget extends XidCommand {
        @Override
        public Integer call() {
            return run(ManagementOperations.FORGET);
        }
    }

    @Command(name = "half", description = "Half-messages waiting for their producer: list, commit, rollback.",
            subcommands = {HalfList.class, HalfCommit.class, HalfRollback.class})
    static final class Half {
    }

    @Command(name = "list", description = "Half-messages waiting for their producer's outcome.")
    static final class HalfList extends BrokerCommand {
        @Override
        public Integer call() {
            return printResult(manage(ManagementOperations.LIST_HALF, null, null, null));
        }
    }

    @Command(name = "commit", description = "Make a half-message visible, as its producer would.")
    static final class HalfCommit extends BrokerCommand {
        @Parameters(paramLabel = "ID", description = "its JMSMessageID, as half list shows it")
        String id;

        @Override
        public Integer call() {
            return mustDoSomething(this, manage(ManagementOperations.COMMIT_HALF, id, null, null));
        }
    }

    @Command(name = "rollback", description = "Drop a half-message.")
    static final class HalfRollback extends BrokerCommand {
        @Parameters(paramLabel = "ID", description = "its JMSMessageID, as half list shows it")
        String id;

        @Override
        public Integer call() {
            return mustDoSomething(this, manage(ManagementOperations.ROLLBACK_HALF, id, null, null));
        }
    }

    @Command(name = "find-messages", description = "Retained messages (policy retention-time) by id, key or time.")
    static final class FindMessages extends BrokerCommand {
        @Option(names = "--from", paramLabel = "QUEUE", description = "one queue or subscription (default: all)")
        String from;

        @Option(names = "--id", paramLabel = "ID", description = "a JMSMessageID")
        String id;

        @Option(names = "--key", paramLabel = "VALUE", description = "the value of the policy's retention-index-property")
        String key;

        @Option(names = "--since", paramLabel = "TIME", description = "sent at or after (ISO-8601 or epoch ms)")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "sent before (ISO-8601 or epoch ms)")
        String until;

        @Override
        public Integer call() {
            StringBuilder q = new StringBuilder();
            String[][] pairs = {{"id", id}, {"key", key}, {"since", since}, {"until", until}};
            for (String[] p : pairs) {
                if (p[1] != null) {
                    if (p[1].contains(",")) {
                        throw new CliFailure(CliFailure.USAGE, "--" + p[0] + " may not contain a comma");
                    }
                    q.append(q.length() == 0 ? "" : ",").append(p[0]).append('=').append(p[1]);
                }
            }
            return printResult(manage(ManagementOperations.FIND_MESSAGES, from, q.toString(), null));
        }
    }

    @Command(name = "trace-message", description = "A message's lifecycle: sent, deliveries, how it left.")
    static final class TraceMessage extends BrokerCommand {
        @Parameters(paramLabel = "ID", description = "its JMSMessageID")
        String id;

        @Override
        public Integer call() {
            return mustDoSomething(this, manage(ManagementOperations.TRACE_MESSAGE, id, null, null));
        }
    }

    @Command(name = "replay", description = "Deliver a queue's or subscription's retained messages again, from a "
            + "time or a message on.")
    static final class Replay extends BrokerCommand {
        @Option(names = "--from", required = true, paramLabel = "QUEUE")
        String from;

        @Option(names = "--time", paramLabel = "TIME", description = "from this time on (ISO-8601 or epoch ms)")
        String time;

        @Option(names = "--id", paramLabel = "ID", description = "from this message on")
        String id;

        @Override
        public Integer call() {
            if ((time == null) == (id == null)) {
                throw new CliFailure(CliFailure.USAGE, "replay needs either --time or --id");
            }
            return printResult(manage(ManagementOperations.REPLAY, from, time != null ? "time=" + time : "id=" + id, null));
        }
    }
}
