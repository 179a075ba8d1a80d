package org.ternmq.broker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.ternmq.broker.core.BrokerStatistics;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ClientException;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.protocol.ManageResult;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A subcommand that talks to a running broker: its connection options, {@code --json}, and the calls. */
abstract class BrokerCommand implements Callable<Integer> {

    @Mixin
    BrokerOptions broker;

    @Option(names = "--json", description = "print JSON instead of a table, for scripts")
    boolean json;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Runs one management operation; a refusal or a failure to connect becomes a {@link CliFailure}. */
    ManageResult manage(String operation, String subject, String target, String selector) {
        try (ClientConnection c = broker.manage()) {
            return c.manage(operation, subject, target, selector);
        } catch (ClientException e) {
            throw BrokerOptions.failure(ConnectionUrl.parse(broker.url), e, e.isConnectionFailure());
        }
    }

    /** The broker's statistics snapshot. */
    BrokerStatistics statistics() {
        String text = manage("stats", null, null, null).text();
        try {
            return Output.JSON.readValue(text, BrokerStatistics.class);
        } catch (JsonProcessingException e) {
            throw new CliFailure(CliFailure.REFUSED, "the broker's statistics could not be read: " + e.getOriginalMessage());
        }
    }

    /** Prints an operation's result: its text, or {@code {"count": n, "result": text}} with --json. */
    int printResult(ManageResult r) {
        if (json) {
            Output.json(out(), Output.map("count", r.count(), "result", r.text()));
        } else {
            out().println(r.text());
            out().flush();
        }
        return 0;
    }
}
