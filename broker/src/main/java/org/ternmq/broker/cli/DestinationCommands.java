package org.ternmq.broker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ternmq.broker.core.BrokerStatistics;
import org.ternmq.broker.core.ManagementOperations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Queues, topics, subscriptions and connections: listing, statistics, creating, deleting, moving, purging. */
final class DestinationCommands {

    private DestinationCommands() {
    }

    static final List<String> DESTINATION_HEADER = List.of("NAME", "WAITING", "PAGED", "IN-FLIGHT", "SCHEDULED",
            "CONSUMERS", "PRODUCERS", "ENQUEUED", "ACKED", "DLQ'D");

    static List<Object> row(BrokerStatistics.Destination d) {
        return List.of(d.name() + (d.paused() ? " (paused)" : ""), d.waiting(), d.paged(), d.inFlight(), d.scheduled(),
                d.consumers(), d.producers(), d.enqueued(), d.acknowledged(), d.deadLettered());
    }

    static void list(BrokerCommand cmd, String type, String filter) {
        List<BrokerStatistics.Destination> ds = new ArrayList<>();
        for (BrokerStatistics.Destination d : cmd.statistics().destinations()) {
            if (d.type().equals(type) && (filter == null || d.name().toLowerCase(Locale.ROOT)
                    .contains(filter.toLowerCase(Locale.ROOT)))) {
                ds.add(d);
            }
        }
        if (cmd.json) {
            Output.json(cmd.out(), ds);
        } else {
            Output.table(cmd.out(), DESTINATION_HEADER, ds.stream().map(DestinationCommands::row).toList());
        }
    }

    static BrokerStatistics.Destination find(BrokerCommand cmd, String name, String type) {
        BrokerStatistics.Destination d = cmd.statistics().destination(name);
        if (d == null || !d.type().equals(type)) {
            throw new CliFailure(CliFailure.REFUSED, "no " + type + " '" + name + "' (tern " + type + " list shows them)");
        }
        return d;
    }

    @Command(name = "queue", description = "Queues: create, delete, list, stat.",
            subcommands = {QueueCreate.class, QueueDelete.class, QueueList.class, QueueStat.class})
    static final class Queue {
    }

    @Command(name = "create", description = "Create a queue (queues are also created when first used).")
    static final class QueueCreate extends BrokerCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return printResult(manage(ManagementOperations.CREATE_QUEUE, name, null, null));
        }
    }

    @Command(name = "delete", description = "Delete a queue and its messages (refused while it has consumers).")
    static final class QueueDelete extends BrokerCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return printResult(manage(ManagementOperations.DELETE_QUEUE, name, null, null));
        }
    }

    @Command(name = "list", description = "List queues with their counts.")
    static final class QueueList extends BrokerCommand {
        @Option(names = "--filter", paramLabel = "TEXT", description = "only names containing TEXT")
        String filter;

        @Override
        public Integer call() {
            list(this, "queue", filter);
            return 0;
        }
    }

    @Command(name = "stat", description = "A queue's (or durable subscription's) counts and counters.")
    static final class QueueStat extends BrokerCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            BrokerStatistics.Destination d = statistics().destination(name);
            if (d == null) {
                throw new CliFailure(CliFailure.REFUSED, "no queue or durable subscription '" + name + "'");
            }
            if (json) {
                Output.json(out(), d);
            } else {
                Output.record(out(), false, Output.map("name", d.name(), "type", d.type(), "paused", d.paused(),
                        "waiting", d.waiting(), "on heap", d.heap(), "paged out", d.paged(), "in flight", d.inFlight(),
                        "scheduled", d.scheduled(), "consumers", d.consumers(), "producers", d.producers(),
                        "enqueued", d.enqueued(), "delivered", d.delivered(), "acknowledged", d.acknowledged(),
                        "redelivered", d.redelivered(), "dead-lettered", d.deadLettered(), "expired", d.expired(),
                        "duplicates dropped", d.duplicatesDropped()));
            }
            return 0;
        }
    }

    @Command(name = "topic", description = "Topics.", subcommands = TopicList.class)
    static final class Topic {
    }

    @Command(name = "list", description = "List topics with their subscriptions.")
    static final class TopicList extends BrokerCommand {
        @Override
        public Integer call() {
            List<BrokerStatistics.Topic> ts = statistics().topics();
            if (json) {
                Output.json(out(), ts);
            } else {
                Output.table(out(), List.of("NAME", "SUBSCRIPTIONS", "DURABLE", "CONSUMERS", "DUPLICATES"),
                        ts.stream().map(t -> List.<Object>of(t.name(), t.subscriptions(), t.durableSubscriptions(),
                                t.consumers(), t.duplicatesDropped())).toList());
            }
            return 0;
        }
    }

    @Command(name = "subscription", description = "Durable subscriptions: list, delete.",
            subcommands = {SubscriptionList.class, SubscriptionDelete.class})
    static final class Subscription {
    }

    @Command(name = "list", description = "List durable subscriptions (named topic::clientId.name).")
    static final class SubscriptionList extends BrokerCommand {
        @Option(names = "--filter", paramLabel = "TEXT", description = "only names containing TEXT")
        String filter;

        @Override
        public Integer call() {
            list(this, "subscription", filter);
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a durable subscription and its messages (refused while it has a consumer).")
    static final class SubscriptionDelete extends BrokerCommand {
        @Parameters(paramLabel = "NAME", description = "as subscription list shows it: topic::clientId.name")
        String name;

        @Override
        public Integer call() {
            return printResult(manage(ManagementOperations.DELETE_SUBSCRIPTION, name, null, null));
        }
    }

    @Command(name = "connection", description = "Client connections.", subcommands = ConnectionList.class)
    static final class Connection {
    }

    @Command(name = "list", description = "List open connections: client id, user, address, since when.")
    static final class ConnectionList extends BrokerCommand {
        @Override
        public Integer call() {
            BrokerStatistics s = statistics();
            if (json) {
                Output.json(out(), s.connectionList());
            } else {
                long now = s.takenAt();
                Output.table(out(), List.of("ID", "CLIENT-ID", "USER", "ADDRESS", "SESSIONS", "CONSUMERS", "CONNECTED"),
                        s.connectionList().stream().map(c -> List.<Object>of(c.id(), c.clientId() == null ? "-" : c.clientId(),
                                c.user() == null || c.user().isEmpty() ? "-" : c.user(), c.remoteAddress(), c.sessions(),
                                c.consumers(), Duration.ofMillis(now - c.connectedAt()).toSeconds() + " s ago ("
                                + Instant.ofEpochMilli(c.connectedAt()) + ")")).toList());
            }
            return 0;
        }
    }

    @Command(name = "move", description = "Move messages from a queue to another; without --to, each goes back "
            + "where it came from (dead-letter and expiry queues).")
    static final class Move extends BrokerCommand {
        @Option(names = "--from", required = true, paramLabel = "QUEUE")
        String from;

        @Option(names = "--to", paramLabel = "QUEUE")
        String to;

        @Option(names = "--selector", paramLabel = "SELECTOR", description = "only messages it selects")
        String selector;

        @Override
        public Integer call() {
            find(this, from, "queue");
            return printResult(manage(ManagementOperations.MOVE_MESSAGES, from, to, selector));
        }
    }

    @Command(name = "purge", description = "Delete the messages waiting in a queue (those a selector selects).")
    static final class Purge extends BrokerCommand {
        @Parameters(paramLabel = "QUEUE")
        String queue;

        @Option(names = "--selector", paramLabel = "SELECTOR", description = "only messages it selects")
        String selector;

        @Override
        public Integer call() {
            if (statistics().destination(queue) == null) {
                throw new CliFailure(CliFailure.REFUSED, "no queue or durable subscription '" + queue + "'");
            }
            return printResult(manage(ManagementOperations.PURGE, queue, null, selector));
        }
    }

    @Command(name = "dlq", description = "Dead letters.", subcommands = DlqRedrive.class)
    static final class Dlq {
    }

    @Command(name = "redrive", description = "Send dead letters back to the destinations they came from.")
    static final class DlqRedrive extends BrokerCommand {
        @Option(names = "--from", defaultValue = "DLQ", paramLabel = "QUEUE",
                description = "the dead-letter queue (default: ${DEFAULT-VALUE})")
        String from;

        @Option(names = "--selector", paramLabel = "SELECTOR",
                description = "only dead letters it selects, e.g. \"JMS_TERN_OriginalDestination = 'orders'\"")
        String selector;

        @Override
        public Integer call() {
            find(this, from, "queue");
            return printResult(manage(ManagementOperations.MOVE_MESSAGES, from, null, selector));
        }
    }
}
