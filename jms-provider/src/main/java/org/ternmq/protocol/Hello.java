package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * First frame of a connection: the client's magic, protocol version and credentials; {@code resumeKey}, the same on
 * every connection one failing-over client opens (null without failover: a broker that still has an older connection
 * with the key closes it, see {@code BrokerConnection}); {@code connectionTtlMillis}, how long the broker may go
 * without a byte from the client before it takes the connection for dead (0: never; the client pings more often).
 */
public record Hello(long correlationId, int magic, int version, String user, String password, String resumeKey,
        int connectionTtlMillis) implements Packet.Request {

    /** A client without failover or heartbeats. */
    public Hello(long correlationId, int magic, int version, String user, String password) {
        this(correlationId, magic, version, user, password, null, 0);
    }

    @Override
    public PacketType type() {
        return PacketType.HELLO;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(magic);
        out.writeInt(version);
        WireFields.writeString(out, user);
        WireFields.writeString(out, password);
        WireFields.writeString(out, resumeKey);
        out.writeInt(connectionTtlMillis);
    }

    static Hello decode(ByteBuf in) {
        return new Hello(WireFields.readLong(in), WireFields.readInt(in), WireFields.readInt(in), WireFields.readString(in), WireFields.readString(in),
                WireFields.readString(in), WireFields.readInt(in));
    }

    @Override
    public String toString() {
        return "Hello[" + "correlationId=" + correlationId + ", " + "magic=" + magic + ", " + "version=" + version + ", " + "user=" + user + ", " + "password=***, resumeKey=" + resumeKey + ", connectionTtlMillis=" + connectionTtlMillis + "]";
    }
}
