package org.ternmq.broker.persistence;

/**
 * An XA branch an operator completed by hand while its transaction manager waited: kept so the broker can
 * tell the transaction manager ({@code XA_HEURCOM}, {@code XA_HEURRB}) until it forgets the branch.
 *
 * @param id        the record's store id
 * @param xid       the branch's Xid bytes ({@code org.ternmq.protocol.XidValue#toBytes})
 * @param committed whether the operator committed it (else rolled it back)
 * @param decidedAt when (epoch milliseconds)
 */
public record HeuristicRecord(long id, byte[] xid, boolean committed, long decidedAt) {
}
