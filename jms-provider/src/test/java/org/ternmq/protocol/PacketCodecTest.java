package org.ternmq.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ternmq.message.Address;

/** The frame codec on an {@link EmbeddedChannel}: round trips, split frames, oversize, garbage. */
class PacketCodecTest {

    private static final int MAX = 4096;

    /** One packet of every type, with fields that exercise nulls, arrays and addresses. */
    static List<Packet> everyPacket() {
        Address q = Address.queue("orders");
        Address tt = new Address(Address.Kind.TEMPORARY_TOPIC, "tmp-1");
        return List.of(
                new Hello(1, FrameDescriptor.MAGIC, 1, "alice", "secret"),
                new Hello(1, FrameDescriptor.MAGIC, 5, null, null, "3f1c.key", 15_000),
                new SetClientId(2, "client-é"),
                new CreateSession(3, 7, 2),
                new CloseSession(4, 7, 99, new long[] {1, 2}),
                new CreateConsumer(5, 7, 11, tt, "a > 1", true, "sub", true, false, 100),
                new CloseConsumer(6, 11, 5, new long[0]),
                new FlushConsumer(7, 11),
                new Send(8, 7, new byte[] {1, 2, 3}),
                new Acknowledge(9, 7, new long[] {5, 6, 7}),
                new Commit(10, 7),
                new Commit(10, 7, "c-1:7:42"),
                new CommitOutcome(31, "c-1:7:42"),
                new Rollback(11, 7, 3, new long[] {3}),
                new Recover(12, 7, 0, new long[0]),
                new CreateBrowser(13, 7, 21, q, null),
                new BrowseNext(14, 21, 50),
                new CloseBrowser(15, 21),
                new CreateTemporary(16, tt),
                new DeleteTemporary(17, tt),
                new Unsubscribe(18, "sub"),
                new Ping(19),
                new Ok(20),
                new ErrorResponse(21, ErrorCode.INVALID_SELECTOR, "bad"),
                new HelloOk(22, "c-1", "tern", "0.1.0", 1 << 20, "node-1"),
                new BrowseBatch(23, List.of(new byte[] {9}, new byte[0]), true),
                new Deliver(11, 5, 2, new byte[] {4, 5}),
                new Credit(11, 10),
                new Disconnect(ErrorCode.INTERNAL, "bye"),
                new Manage(24, "move-messages", "DLQ", null, "a = 1"),
                new ManageResult(25, 3, "moved 3"),
                new DeliveryFailure(7, 5, "java.lang.RuntimeException: boom"),
                new DeliveryState(26, true),
                new CloseConnection(27),
                new XaRequest(28, 7, XaOperation.START, new XidValue(0x1234, new byte[] {1, 2}, new byte[] {3}),
                        javax.transaction.xa.XAResource.TMJOIN, 30),
                new XaRequest(29, 0, XaOperation.RECOVER, null, javax.transaction.xa.XAResource.TMSTARTRSCAN, 0),
                new XaResponse(30, javax.transaction.xa.XAException.XAER_NOTA, "unknown",
                        List.of(new XidValue(1, new byte[64], new byte[0]))),
                new HalfRequest(31, HalfOperation.COMMIT, "ID:half-1", null),
                new HalfRequest(32, HalfOperation.REGISTER_CHECKER, null, "orders"),
                new HalfCheck("ID:half-1", "orders", 2, new byte[] {1, 2, 3}),
                new LargeChunk(33, 7, 99, new byte[] {4, 5, 6}),
                new LargeChunk(34, 7, 99, null),
                new LargePull(41, 4),
                new LargePull(41, LargePull.DONE),
                new LargeBodyChunk(41, 3, false, new byte[] {7, 8}, null),
                new LargeBodyChunk(41, 0, true, null, "missing"));
    }

    @Test
    void everyPacketTypeRoundTrips() {
        assertThat(everyPacket().stream().map(Packet::type).distinct().toList())
                .containsExactlyInAnyOrder(PacketType.values());
        for (Packet p : everyPacket()) {
            Packet back = roundTrip(p);
            assertThat(back.type()).isEqualTo(p.type());
            assertThat(back).usingRecursiveComparison().isEqualTo(p);
        }
    }

    @Test
    void framesSplitAtEveryByteAreReassembled() {
        ByteBuf all = Unpooled.buffer();
        for (Packet p : everyPacket()) {
            PacketEncoder.encode(p, all);
        }
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(MAX));
        while (all.isReadable()) {
            ch.writeInbound(all.readRetainedSlice(1));
        }
        all.release();
        for (Packet expected : everyPacket()) {
            Packet got = ch.readInbound();
            assertThat(got).usingRecursiveComparison().isEqualTo(expected);
        }
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void oversizedFrameFailsBeforeItsBodyArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(MAX));
        ByteBuf header = Unpooled.buffer().writeInt(MAX + 1).writeByte(PacketType.PING.code());
        assertThatThrownBy(() -> ch.writeInbound(header)).isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(MalformedFrameException.class).hasMessageContaining("outside");
        // everything after a bad frame is discarded
        ByteBuf good = Unpooled.buffer();
        PacketEncoder.encode(new Ping(1), good);
        ch.writeInbound(good);
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownTypeTrailingBytesAndTruncatedBodiesAreMalformed() {
        assertMalformed(new byte[] {0, 0, 0, 1, (byte) 200}, "unknown packet type");
        assertMalformed(new byte[] {0, 0, 0, 0}, "outside");
        ByteBuf trailing = Unpooled.buffer();
        PacketEncoder.encode(new Ping(1), trailing);
        trailing.setInt(0, trailing.getInt(0) + 1);
        trailing.writeByte(0);
        assertMalformed(toArray(trailing), "trailing");
        ByteBuf negativeString = Unpooled.buffer().writeInt(1 + 8 + 4).writeByte(PacketType.SET_CLIENT_ID.code())
                .writeLong(1).writeInt(-5);
        assertMalformed(toArray(negativeString), "negative");
        ByteBuf badHalfOperation = Unpooled.buffer().writeInt(1 + 8 + 1 + 4 + 4).writeByte(PacketType.HALF_REQUEST.code())
                .writeLong(1).writeByte(99).writeInt(-1).writeInt(-1);
        assertMalformed(toArray(badHalfOperation), "unknown half-message operation 99");
    }

    @Test
    void randomGarbageNeverThrowsAnythingButMalformed() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(64)];
            random.nextBytes(bytes);
            // a plausible length so the body is actually decoded
            int length = bytes.length - 4;
            if (length > 0 && random.nextBoolean()) {
                bytes[0] = 0;
                bytes[1] = 0;
                bytes[2] = (byte) (length >> 8);
                bytes[3] = (byte) length;
                bytes[4] = (byte) (1 + random.nextInt(PacketType.values().length));
            }
            EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(MAX));
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes));
            } catch (DecoderException e) {
                assertThat(e).hasCauseInstanceOf(MalformedFrameException.class);
            }
            ch.finishAndReleaseAll();
        }
    }

    private static void assertMalformed(byte[] frame, String why) {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(MAX));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(frame)))
                .isInstanceOf(DecoderException.class).hasCauseInstanceOf(MalformedFrameException.class)
                .hasMessageContaining(why);
        ch.finishAndReleaseAll();
    }

    private static byte[] toArray(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        buf.release();
        return b;
    }

    private static Packet roundTrip(Packet p) {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketDecoder(MAX), PacketEncoder.INSTANCE);
        assertThat(ch.writeOutbound(p)).isTrue();
        ByteBuf wire = ch.readOutbound();
        ch.writeInbound(wire);
        Packet back = ch.readInbound();
        assertThat(ch.finish()).isFalse();
        return back;
    }

    @Test
    void xidsAreBoundedAndAnOverlongOneStillDecodesForTheBrokerToRefuse() {
        XidValue overlong = new XidValue(1, new byte[200], new byte[65]);
        XaRequest r = (XaRequest) roundTrip(new XaRequest(1, 1, XaOperation.START, overlong, 0, 0));
        assertThat(r.xid()).isEqualTo(overlong);
        assertThat(r.xid().problem()).contains("200 bytes");
        assertThat(new XidValue(1, new byte[0], new byte[0]).problem()).contains("0 bytes");
        assertThat(new XidValue(-1, new byte[1], new byte[0]).problem()).contains("null Xid");
        assertThat(new XidValue(7, new byte[64], new byte[64]).problem()).isNull();
        // a length byte that claims more than the frame holds is malformed, not an allocation
        ByteBuf body = Unpooled.buffer().writeLong(1).writeInt(1).writeByte(XaOperation.START.code())
                .writeBoolean(true).writeInt(1).writeByte(255).writeBytes(new byte[3]);
        ByteBuf frame = Unpooled.buffer().writeInt(1 + body.readableBytes()).writeByte(PacketType.XA_REQUEST.code())
                .writeBytes(body);
        body.release();
        assertMalformed(toArray(frame), "xid gtrid of 255 bytes");
    }

    @Test
    void xidTextAndByteFormsRoundTrip() {
        XidValue x = new XidValue(131077, new byte[] {0, 1, (byte) 0xfe}, new byte[] {9});
        assertThat(x.toString()).isEqualTo("131077:0001fe:09");
        assertThat(XidValue.parse(x.toString())).isEqualTo(x);
        assertThat(XidValue.fromBytes(x.toBytes())).isEqualTo(x);
        assertThatThrownBy(() -> XidValue.parse("12:zz:00")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("formatId:gtridHex:bqualHex");
        assertThatThrownBy(() -> XidValue.parse("12")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XidValue.fromBytes(new byte[] {0, 0, 0, 1, 5})).isInstanceOf(IllegalArgumentException.class);
    }
}
