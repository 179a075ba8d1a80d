package org.ternmq.broker.server;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ternmq.broker.core.ManagementOperations;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ClientException;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.protocol.ManageResult;
import org.ternmq.protocol.XidValue;

/**
 * {@code tern admin <operation> [options]}: runs a management operation on a running broker over the
 * protocol, as an administrator. For example, moving the dead letters back where they came from:
 * {@code bin/tern admin move-messages --from DLQ}.
 */
final class AdminCommand {

    private static final String DEFAULT_URL = "tern://127.0.0.1:61616";

    private AdminCommand() {
    }

    /** @return the exit status: 0 done, 1 refused or failed, 2 bad usage */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            printHelp(args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        String operation = args[0];
        Map<String, String> options = new LinkedHashMap<>();
        int first = 1;
        if (ManagementOperations.XID_OPERATIONS.contains(operation) && args.length > 1 && !args[1].startsWith("--")) {
            options.put("xid", args[1]);
            first = 2;
        } else if ((ManagementOperations.HALF_OPERATIONS.contains(operation)
                || operation.equals(ManagementOperations.TRACE_MESSAGE)) && args.length > 1 && !args[1].startsWith("--")) {
            options.put("id", args[1]);
            first = 2;
        }
        for (int i = first; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                err.println("tern admin: '" + a + "' should be an option with a value (--name value)");
                return 2;
            }
            options.put(a.substring(2), args[++i]);
        }
        for (String key : options.keySet()) {
            if (!key.equals("url") && !key.equals("user") && !key.equals("password") && !key.equals("password-env")
                    && !key.equals("from")
                    && !key.equals("to") && !key.equals("selector") && !key.equals("xid") && !key.equals("id")
                    && !key.equals("key") && !key.equals("since") && !key.equals("until") && !key.equals("time")) {
                err.println("tern admin: unknown option --" + key);
                return 2;
            }
        }
        if (!ManagementOperations.OPERATIONS.contains(operation)) {
            err.println("tern admin: unknown operation '" + operation + "'");
            printHelp(err);
            return 2;
        }
        boolean namesQueue = operation.equals(ManagementOperations.MOVE_MESSAGES)
                || operation.equals(ManagementOperations.PURGE);
        if (namesQueue && !options.containsKey("from")) {
            err.println("tern admin: " + operation + " needs --from QUEUE");
            return 2;
        }
        boolean namesXid = ManagementOperations.XID_OPERATIONS.contains(operation);
        if (namesXid) {
            if (!options.containsKey("xid")) {
                err.println("tern admin: " + operation + " needs the branch's XID (formatId:gtridHex:bqualHex, "
                        + "as list-prepared shows it)");
                return 2;
            }
            try {
                XidValue.parse(options.get("xid"));
            } catch (IllegalArgumentException e) {
                err.println("tern admin: " + e.getMessage());
                return 2;
            }
        }
        boolean namesHalf = ManagementOperations.HALF_OPERATIONS.contains(operation);
        if (namesHalf && !options.containsKey("id")) {
            err.println("tern admin: " + operation + " needs the half-message's id (its JMSMessageID, as list-half shows it)");
            return 2;
        }
        boolean trace = operation.equals(ManagementOperations.TRACE_MESSAGE);
        if (trace && !options.containsKey("id")) {
            err.println("tern admin: trace-message needs the message's JMSMessageID");
            return 2;
        }
        String target = options.get("to");
        if (operation.equals(ManagementOperations.REPLAY)) {
            if (!options.containsKey("from") || options.containsKey("time") == options.containsKey("id")) {
                err.println("tern admin: replay needs --from QUEUE and either --time INSTANT or --id MESSAGE_ID");
                return 2;
            }
            target = options.containsKey("time") ? "time=" + options.get("time") : "id=" + options.get("id");
        } else if (operation.equals(ManagementOperations.FIND_MESSAGES)) {
            StringBuilder q = new StringBuilder();
            for (String k : new String[] {"id", "key", "since", "until"}) {
                if (options.containsKey(k)) {
                    if (options.get(k).contains(",")) {
                        err.println("tern admin: --" + k + " may not contain a comma");
                        return 2;
                    }
                    q.append(q.length() == 0 ? "" : ",").append(k).append('=').append(options.get(k));
                }
            }
            target = q.toString();
        }
        ConnectionUrl url;
        try {
            url = ConnectionUrl.parse(options.getOrDefault("url", DEFAULT_URL));
        } catch (IllegalArgumentException e) {
            err.println("tern admin: " + e.getMessage());
            return 2;
        }
        String password = options.get("password");
        if (password != null) {
            err.println("tern admin: warning: --password is visible to every user of this machine; prefer the prompt "
                    + "or --password-env VARIABLE");
        } else if (options.containsKey("password-env")) {
            password = System.getenv(options.get("password-env"));
            if (password == null) {
                err.println("tern admin: environment variable " + options.get("password-env") + " is not set");
                return 2;
            }
        } else if (options.containsKey("user") && System.console() != null) {
            char[] typed = System.console().readPassword("Password for %s: ", options.get("user"));
            password = typed == null ? null : new String(typed);
        }
        try (ClientConnection connection = ClientConnection.connect(url, options.get("user"), password)) {
            String subject = namesXid ? options.get("xid") : namesHalf || trace ? options.get("id") : options.get("from");
            ManageResult result = connection.manage(operation, subject, target, options.get("selector"));
            if ((namesXid || namesHalf) && result.count() == 0) {
                err.println("tern admin: " + operation + " " + result.text());
                return 1;
            }
            out.println(result.text());
            return 0;
        } catch (ClientException e) {
            err.println("tern admin: " + operation + " failed: " + e.getMessage());
            return 1;
        }
    }

    static void printHelp(PrintStream out) {
        out.println("Usage: tern admin <operation> [--url URL] [--user U [--password-env VAR]] [options]");
        out.println("The password is read from the terminal, or from the environment variable --password-env names.");
        out.println("Over TLS: --url 'tern+ssl://host:port?trustStore=FILE&trustStorePassword=...'.");
        out.println("Runs a management operation on a running broker (the user needs the 'admin' role, unless");
        out.println("the broker has no users at all). Default URL: " + DEFAULT_URL);
        out.println();
        out.println("Operations:");
        out.println("  list-queues                                   queues and durable subscriptions, with counts");
        out.println("  move-messages --from Q [--to Q2] [--selector S]  move messages; without --to, each goes back");
        out.println("                                                where it came from (dead-letter and expiry queues)");
        out.println("  purge --from Q [--selector S]                 delete messages");
        out.println("  list-prepared                                 XA branches prepared and waiting for their");
        out.println("                                                transaction manager: XID, age, what each holds");
        out.println("  commit-prepared XID                           commit a branch in doubt (heuristic: its transaction");
        out.println("  rollback-prepared XID                         manager hears XA_HEURCOM / XA_HEURRB until it forgets)");
        out.println("  list-heuristic                                branches completed by an operator, not yet forgotten");
        out.println("  forget XID                                    forget a heuristic outcome");
        out.println("  list-half                                     half-messages waiting for their producer's outcome");
        out.println("  commit-half ID                                make a half-message visible, as its producer would");
        out.println("  rollback-half ID                              drop a half-message");
        out.println("  list-large                                    large message bodies stored: size, chunks, holders");
        out.println("  find-messages [--from Q] [--id ID] [--key VALUE] [--since T] [--until T]");
        out.println("                                                retained messages (policy retention-time) by message");
        out.println("                                                id, indexed property value, sent time");
        out.println("  trace-message ID                              a message's lifecycle: sent, deliveries, how it left");
        out.println("  replay --from Q (--time T | --id ID)          deliver a queue's or subscription's retained");
        out.println("                                                messages again, from time T or message ID on");
        out.println("T is an ISO-8601 instant (2026-12-03T10:15:30Z) or epoch milliseconds.");
        out.println("XID is formatId:gtridHex:bqualHex, as list-prepared prints it; a half-message's ID is its");
        out.println("JMSMessageID, as list-half prints it.");
    }
}
