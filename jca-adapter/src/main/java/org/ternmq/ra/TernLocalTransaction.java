package org.ternmq.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;

/**
 * A local transaction of one managed connection, for servers that manage a resource with local rather than XA
 * transactions: while it is open, sessions work on the connection's locally transacted session.
 */
final class TernLocalTransaction implements LocalTransaction {

    private final TernManagedConnection connection;

    TernLocalTransaction(TernManagedConnection connection) {
        this.connection = connection;
    }

    @Override
    public void begin() throws ResourceException {
        connection.beginLocal();
    }

    @Override
    public void commit() throws ResourceException {
        connection.endLocal(true);
    }

    @Override
    public void rollback() throws ResourceException {
        connection.endLocal(false);
    }
}
