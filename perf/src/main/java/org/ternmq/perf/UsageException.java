package org.ternmq.perf;

/** A command line the tool cannot run: the message says exactly what is wrong, for the user. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
