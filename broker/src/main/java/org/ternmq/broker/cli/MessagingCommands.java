package org.ternmq.broker.cli;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ternmq.broker.core.BrokerStatistics;
import org.ternmq.broker.management.MessageView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code send}, {@code receive} and {@code browse}: messages through the JMS client, as an application would. */
final class MessagingCommands {

    private MessagingCommands() {
    }

    /** What the message commands share: the destination, a queue unless {@code --topic}. */
    abstract static class MessagingCommand extends BrokerCommand {
        @Parameters(index = "0", paramLabel = "DESTINATION", description = "the queue (or topic, with --topic)")
        String destination;

        @Option(names = "--topic", description = "DESTINATION is a topic")
        boolean topic;

        Destination destination(Session s) throws JMSException {
            return topic ? s.createTopic(destination) : s.createQueue(destination);
        }

        String describe() {
            return (topic ? "topic " : "queue ") + destination;
        }

        static CliFailure failed(String what, JMSException e) {
            return new CliFailure(CliFailure.REFUSED, what + " failed: " + e.getMessage());
        }
    }

    @Command(name = "send", description = "Send text messages: from an argument, a file (--file) or standard input.")
    static final class Send extends MessagingCommand {
        @Parameters(index = "1", arity = "0..1", paramLabel = "TEXT",
                description = "the message text; without it and --file, standard input is read")
        String text;

        @Option(names = "--file", paramLabel = "FILE", description = "read the text from FILE")
        Path file;

        @Option(names = {"-p", "--property"}, paramLabel = "NAME=VALUE",
                description = "a string property (repeatable)")
        Map<String, String> properties = new LinkedHashMap<>();

        @Option(names = {"-n", "--count"}, defaultValue = "1", description = "how many copies to send (default: 1)")
        int count;

        @Option(names = "--non-persistent", description = "send non-persistent messages (default: persistent)")
        boolean nonPersistent;

        @Option(names = "--priority", defaultValue = "4", description = "JMS priority 0-9 (default: 4)")
        int priority;

        @Option(names = "--ttl", defaultValue = "0", converter = Millis.class,
                description = "time to live (30s, 5m; bare: ms), 0 for none (default: 0)")
        long ttl;

        /** Where standard input comes from; replaced in tests. */
        static InputStream stdin = System.in;

        @Override
        public Integer call() throws Exception {
            if (count < 1) {
                throw new CliFailure(CliFailure.USAGE, "--count must be at least 1, was " + count);
            }
            if (text != null && file != null) {
                throw new CliFailure(CliFailure.USAGE, "give the text or --file, not both");
            }
            String body = body();
            List<String> ids = new ArrayList<>();
            try (Connection c = broker.jms()) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(destination(s));
                p.setDeliveryMode(nonPersistent ? DeliveryMode.NON_PERSISTENT : DeliveryMode.PERSISTENT);
                p.setPriority(priority);
                p.setTimeToLive(ttl);
                for (int i = 0; i < count; i++) {
                    TextMessage m = s.createTextMessage(body);
                    for (Map.Entry<String, String> e : properties.entrySet()) {
                        m.setStringProperty(e.getKey(), e.getValue());
                    }
                    p.send(m);
                    ids.add(m.getJMSMessageID());
                }
            } catch (JMSException e) {
                throw failed("send to " + describe(), e);
            }
            if (json) {
                Output.json(out(), Output.map("sent", ids.size(), "destination", destination, "topic", topic,
                        "messageIds", ids));
            } else {
                out().println("sent " + ids.size() + " message(s) to " + describe());
                out().flush();
            }
            return 0;
        }

        private String body() throws IOException {
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new CliFailure(CliFailure.USAGE, "no such file: " + file);
                }
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            return text != null ? text : new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** How received or browsed messages are printed. */
    enum Format { body, full }

    static void print(BrokerCommand cmd, List<Map<String, Object>> messages, Format format) {
        if (cmd.json) {
            Output.json(cmd.out(), messages);
            return;
        }
        for (Map<String, Object> m : messages) {
            if (format == Format.body) {
                cmd.out().println(m.get("body"));
            } else {
                Map<String, Object> fields = new LinkedHashMap<>(m);
                Object props = fields.remove("properties");
                Object body = fields.remove("body");
                fields.put("properties", props);
                fields.put("body", body);
                Output.record(cmd.out(), false, fields);
                cmd.out().println();
            }
        }
        cmd.out().flush();
    }

    @Command(name = "receive", description = "Receive (consume) messages and print them.")
    static final class Receive extends MessagingCommand {
        @Option(names = {"-n", "--count"}, defaultValue = "1", description = "how many to receive (default: 1)")
        int count;

        @Option(names = "--timeout", defaultValue = "5000", converter = Millis.class,
                description = "how long to wait for each message (10s, 500ms; bare: ms; default: 5000)")
        long timeout;

        @Option(names = "--selector", paramLabel = "SELECTOR", description = "a JMS message selector")
        String selector;

        @Option(names = "--format", defaultValue = "body",
                description = "body (the body preview, one per line) or full (headers, properties and body)")
        Format format;

        @Override
        public Integer call() {
            if (count < 1) {
                throw new CliFailure(CliFailure.USAGE, "--count must be at least 1, was " + count);
            }
            List<Map<String, Object>> received = new ArrayList<>();
            try (Connection c = broker.jms()) {
                c.start();
                Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(destination(s), selector);
                Message last = null;
                while (received.size() < count) {
                    Message m = consumer.receive(timeout);
                    if (m == null) {
                        break;
                    }
                    received.add(MessageView.of(m));
                    last = m;
                }
                if (last != null) {
                    last.acknowledge();
                }
            } catch (JMSException e) {
                throw failed("receive from " + describe(), e);
            }
            print(this, received, format);
            if (received.size() < count) {
                spec.commandLine().getErr().println("tern: received " + received.size() + " of " + count
                        + " message(s) from " + describe() + " within " + timeout + " ms each");
                spec.commandLine().getErr().flush();
                return CliFailure.REFUSED;
            }
            return 0;
        }
    }

    @Command(name = "browse", description = "Show the messages waiting in a queue without consuming them.")
    static final class Browse extends BrokerCommand {
        @Parameters(index = "0", paramLabel = "QUEUE", description = "the queue")
        String queue;

        @Option(names = "--selector", paramLabel = "SELECTOR", description = "a JMS message selector")
        String selector;

        @Option(names = {"-n", "--max"}, defaultValue = "100", description = "most messages shown (default: 100)")
        int max;

        @Option(names = "--format", defaultValue = "full", description = "body or full (default: full)")
        Format format;

        @Override
        public Integer call() {
            BrokerStatistics.Destination d = statistics().destination(queue);
            if (d == null || !d.type().equals("queue")) {
                // browsing would create it: queues come into being when first used
                throw new CliFailure(CliFailure.REFUSED, "no queue '" + queue + "' (tern queue list shows them)");
            }
            List<Map<String, Object>> seen = new ArrayList<>();
            try (Connection c = broker.jms()) {
                c.start();
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                QueueBrowser b = s.createBrowser(s.createQueue(queue), selector);
                // paged-out messages come after those on the heap, read from the broker's store a batch at a time:
                // stop asking once max are shown
                java.util.Enumeration<?> e = b.getEnumeration();
                while (seen.size() < max && e.hasMoreElements()) {
                    seen.add(MessageView.of((Message) e.nextElement()));
                }
            } catch (JMSException e) {
                throw new CliFailure(CliFailure.REFUSED, "browse " + queue + " failed: " + e.getMessage());
            }
            print(this, seen, format);
            return 0;
        }
    }
}
