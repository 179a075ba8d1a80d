package org.ternmq.broker.persistence;

/**
 * A write stored by this broker but not answered because replication refused it: too few backups in sync for
 * {@code replication=sync}, the broker fenced, or replication closed. Unlike a failed journal write, the store
 * stays usable: later work may succeed once backups are in sync again (or, fenced, on another broker).
 */
public final class NotReplicatedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public NotReplicatedException(String why) {
        super(why);
    }
}
