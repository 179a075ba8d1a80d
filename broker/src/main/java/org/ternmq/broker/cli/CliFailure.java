package org.ternmq.broker.cli;

/** A command that cannot do what it was asked: its one-line reason and the process's exit status. */
final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The broker refused or the thing named does not exist. */
    static final int REFUSED = 1;
    /** Bad usage (picocli's own code for bad options, too). */
    static final int USAGE = 2;
    /** No broker answered at the URL. */
    static final int CANNOT_CONNECT = 3;

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
