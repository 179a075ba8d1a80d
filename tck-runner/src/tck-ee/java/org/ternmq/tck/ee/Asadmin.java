package org.ternmq.tck.ee;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * GlassFish's {@code asadmin} as a child process on the configured Java ({@code AS_JAVA}: GlassFish 8 needs 21 or
 * newer, the tests run on 17). Every command and its output are appended to the configured log file.
 *
 * <p>Not thread-safe: Arquillian drives the container from one thread.
 */
final class Asadmin {

    /** What asadmin prints for a failed command, also inside a {@code multimode} run that exits with 0. */
    private static final Pattern FAILED = Pattern.compile("(?m)^Command \\S+ failed\\.");

    private final TckEeConfiguration config;

    Asadmin(TckEeConfiguration config) {
        this.config = config;
    }

    /** A command of the running domain, through its admin port; {@code options} go before the command. */
    String remote(int timeoutSeconds, List<String> options, String... command) throws AsadminException {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port",
                Integer.toString(config.adminPort())));
        args.addAll(options);
        args.addAll(List.of(command));
        return run(timeoutSeconds, config.asadmin(), args);
    }

    /** A command of the installation (create-domain, start-domain, stop-domain). */
    String local(int timeoutSeconds, String... command) throws AsadminException {
        return run(timeoutSeconds, config.asadmin(), List.of(command));
    }

    /** Another tool of the installation ({@code mq/bin/imqusermgr}), run and logged the same way. */
    String tool(int timeoutSeconds, Path executable, String... args) throws AsadminException {
        return run(timeoutSeconds, executable, List.of(args));
    }

    private String run(int timeoutSeconds, Path executable, List<String> args) throws AsadminException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        if (executable.equals(config.asadmin())) {
            command.add("--interactive=false");
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AS_JAVA", config.getJavaHome());
        String output;
        int exit;
        try {
            Path out = Files.createTempFile("asadmin", ".out");
            try {
                Process process = builder.redirectOutput(out.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    output = Files.readString(out, StandardCharsets.UTF_8);
                    log(command, "timed out", output);
                    throw new AsadminException(command, "did not finish within " + timeoutSeconds + " s", output);
                }
                exit = process.exitValue();
                output = Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AsadminException(command, "could not run: " + e, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AsadminException(command, "interrupted", "");
        }
        log(command, "exit " + exit, output);
        if (exit != 0 || FAILED.matcher(output).find()) {
            throw new AsadminException(command, "failed (exit " + exit + ")", output);
        }
        return output;
    }

    private void log(List<String> command, String outcome, String output) {
        String entry = "---- " + LocalDateTime.now() + " " + String.join(" ", command) + " (" + outcome + ")\n"
                + output + (output.endsWith("\n") ? "" : "\n");
        try {
            Path file = config.logFile();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is a convenience: the command's outcome stands
        }
    }

    /** An asadmin command that failed, with what it printed. */
    static final class AsadminException extends Exception {

        private static final long serialVersionUID = 1L;

        AsadminException(List<String> command, String what, String output) {
            super("asadmin " + String.join(" ", command.subList(1, command.size())) + " " + what + ":\n" + output);
        }
    }
}
