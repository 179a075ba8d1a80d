package org.ternmq.it.xa;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A participant that is no resource manager at all: it takes part in a global transaction only to do
 * something (kill the broker, halt the transaction manager's JVM) at one point of two-phase commit. A
 * transaction manager prepares and commits its participants in the order they were enlisted, so enlisted first
 * it acts before the others commit, enlisted last after they prepared.
 */
final class CrashPoint implements XAResource {

    enum When { PREPARE, COMMIT }

    private final When when;
    private final Runnable action;

    CrashPoint(When when, Runnable action) {
        this.when = when;
        this.action = action;
    }

    @Override
    public int prepare(Xid xid) {
        if (when == When.PREPARE) {
            action.run();
        }
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        if (when == When.COMMIT) {
            action.run();
        }
    }

    @Override
    public void start(Xid xid, int flags) {
    }

    @Override
    public void end(Xid xid, int flags) {
    }

    @Override
    public void rollback(Xid xid) {
    }

    @Override
    public void forget(Xid xid) {
    }

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }
}
