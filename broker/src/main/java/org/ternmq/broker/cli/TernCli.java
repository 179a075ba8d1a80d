package org.ternmq.broker.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tern} command line's subcommands for a running broker (picocli): {@code send}, {@code receive},
 * {@code browse}, {@code queue}, {@code topic}, {@code subscription}, {@code connection}, {@code move},
 * {@code purge}, {@code dlq}, {@code stat}, and the operator operations. {@code tern} alone (or with options,
 * or {@code tern start}) starts a broker instead: see {@code TernServer}.
 *
 * <p>Exit status: 0 done; 1 refused by the broker or nothing found; 2 bad usage; 3 no broker answered.
 */
@Command(name = "tern", mixinStandardHelpOptions = true, versionProvider = TernCli.Version.class,
        description = "Tern, a Jakarta Messaging broker. 'tern' alone (or 'tern start [options]') starts a broker; "
                + "the commands below work on a running one.",
        footer = {"", "Exit status: 0 done, 1 refused by the broker or not found, 2 bad usage, 3 cannot connect.",
                "The password of --user comes from $TERN_PASSWORD, else a prompt."})
public final class TernCli {

    private TernCli() {
    }

    /**
     * Builds the command tree. <b>Adding a command</b>: a picocli {@code @Command} class goes in
     * {@code addSubcommand} below; a command with its own parser ({@code static int run(String[], PrintStream,
     * PrintStream)}, like {@code tern admin} and {@code tern user}) is registered in {@code TernServer.PLAIN_COMMANDS}.
     */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TernCli());
        cl.addSubcommand("send", new MessagingCommands.Send());
        cl.addSubcommand("receive", new MessagingCommands.Receive());
        cl.addSubcommand("browse", new MessagingCommands.Browse());
        cl.addSubcommand("queue", new DestinationCommands.Queue());
        cl.addSubcommand("topic", new DestinationCommands.Topic());
        cl.addSubcommand("subscription", new DestinationCommands.Subscription());
        cl.addSubcommand("connection", new DestinationCommands.Connection());
        cl.addSubcommand("move", new DestinationCommands.Move());
        cl.addSubcommand("purge", new DestinationCommands.Purge());
        cl.addSubcommand("dlq", new DestinationCommands.Dlq());
        cl.addSubcommand("stat", new StatCommand());
        cl.addSubcommand("xa", new OperatorCommands.Xa());
        cl.addSubcommand("half", new OperatorCommands.Half());
        cl.addSubcommand("find-messages", new OperatorCommands.FindMessages());
        cl.addSubcommand("trace-message", new OperatorCommands.TraceMessage());
        cl.addSubcommand("replay", new OperatorCommands.Replay());
        withHelp(cl);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliFailure f) {
                line.getErr().println("tern: " + f.getMessage());
                line.getErr().flush();
                return f.exitCode();
            }
            throw e;
        });
        return cl;
    }

    /** Gives every subcommand, at any depth, {@code --help}. */
    private static void withHelp(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().optionsMap().get("--help") == null) {
                sub.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            withHelp(sub);
        }
    }

    /** The subcommands {@link #run} handles (for {@code TernServer}'s dispatch). */
    public static Set<String> commands() {
        return commandLine().getSubcommands().keySet();
    }

    /** Runs one command line; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine();
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cl.setOut(o);
        cl.setErr(e);
        int status = cl.execute(args);
        o.flush();
        e.flush();
        return status;
    }

    /** {@code tern --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tern " + org.ternmq.broker.core.BrokerVersion.VERSION + " (Jakarta Messaging 3.1, "
                    + "protocol " + org.ternmq.protocol.FrameDescriptor.PROTOCOL_VERSION + ", Java "
                    + Runtime.version() + ")"};
        }
    }
}
