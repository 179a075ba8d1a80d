package org.ternmq.broker.server;

import java.io.PrintStream;

/** Lets tests in other packages run the command-line server's {@code run} and see its exit status. */
public final class TernServerAccess {

    private TernServerAccess() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return TernServer.run(args, out, err);
    }
}
