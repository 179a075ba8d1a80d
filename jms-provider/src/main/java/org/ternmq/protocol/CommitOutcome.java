package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Asks whether the commit named {@code commitId} (see {@link Commit#commitId}) happened: answered {@link Ok} when
 * it did, once it is as durable as the commit's own answer would have made it, and {@link ErrorResponse} with
 * {@link ErrorCode#TRANSACTION_ROLLED_BACK} when this broker has no record of it.
 */
public record CommitOutcome(long correlationId, String commitId) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.COMMIT_OUTCOME;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        WireFields.writeString(out, commitId);
    }

    static CommitOutcome decode(ByteBuf in) {
        return new CommitOutcome(WireFields.readLong(in), WireFields.readString(in));
    }
}
