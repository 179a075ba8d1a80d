package org.ternmq.broker.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ternmq.protocol.FrameDescriptor;
import org.ternmq.protocol.Hello;
import org.ternmq.protocol.Packet;
import org.ternmq.transport.ProtocolPipeline;
import org.ternmq.transport.TransportAddress;
import org.ternmq.transport.TransportGroups;

/**
 * A bare protocol client for broker tests: sends packets and raw bytes, and queues whatever comes back,
 * so a test can assert exactly which frames the broker wrote. Test thread only.
 */
public final class RawClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;
    /** One-way packets from the broker (deliveries, disconnects). */
    private final BlockingQueue<Packet> received = new LinkedBlockingQueue<>();
    /** Responses, kept apart so a delivery racing a response never confuses a test. */
    private final BlockingQueue<Packet> responses = new LinkedBlockingQueue<>();
    private final AtomicLong correlation = new AtomicLong();

    public RawClient(TransportAddress address) throws InterruptedException {
        group = TransportGroups.newGroup(address.type(), "raw-client", 1);
        channel = new Bootstrap().group(group).channel(TransportGroups.clientChannelClass(address.type()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ProtocolPipeline.install(ch.pipeline(), FrameDescriptor.DEFAULT_MAX_FRAME_LENGTH,
                                new SimpleChannelInboundHandler<Packet>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Packet p) {
                                        (p instanceof Packet.Response ? responses : received).add(p);
                                    }
                                });
                    }
                }).connect(address.socketAddress()).sync().channel();
    }

    public long nextCorrelation() {
        return correlation.incrementAndGet();
    }

    public void send(Packet p) {
        channel.writeAndFlush(p).syncUninterruptibly();
    }

    public void sendRaw(ByteBuf bytes) {
        channel.writeAndFlush(bytes).syncUninterruptibly();
    }

    public Channel channel() {
        return channel;
    }

    /** Sends the handshake and, when accepted, starts delivery (as JMS start does); returns the handshake's answer. */
    public Packet hello(String user, String password) throws InterruptedException {
        Packet answer = request(id -> new Hello(id, FrameDescriptor.MAGIC, FrameDescriptor.PROTOCOL_VERSION, user, password));
        if (answer instanceof org.ternmq.protocol.HelloOk) {
            Packet started = request(id -> new org.ternmq.protocol.DeliveryState(id, true));
            if (!(started instanceof org.ternmq.protocol.Ok)) {
                throw new AssertionError("delivery not started: " + started);
            }
        }
        return answer;
    }

    /** The handshake alone: delivery stays stopped. */
    public Packet helloStopped(String user, String password) throws InterruptedException {
        return request(id -> new Hello(id, FrameDescriptor.MAGIC, FrameDescriptor.PROTOCOL_VERSION, user, password));
    }

    /** The next one-way packet from the broker; fails the test after 10 seconds. */
    public Packet next() throws InterruptedException {
        return take(received);
    }

    private static Packet take(BlockingQueue<Packet> queue) throws InterruptedException {
        Packet p = queue.poll(10, TimeUnit.SECONDS);
        if (p == null) {
            throw new AssertionError("no packet from the broker within 10 s");
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    public <T extends Packet> T next(Class<T> type) throws InterruptedException {
        Packet p = next();
        if (!type.isInstance(p)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + p);
        }
        return (T) p;
    }

    /** Sends a request and returns its response (responses arrive in request order). */
    public Packet request(java.util.function.LongFunction<Packet> build) throws InterruptedException {
        long id = nextCorrelation();
        send(build.apply(id));
        Packet response = take(responses);
        if (((Packet.Response) response).correlationId() != id) {
            throw new AssertionError("response " + response + " does not answer request " + id);
        }
        return response;
    }

    /** The next response, or null after {@code millis} (for requests sent with {@link #send}). */
    public Packet pollResponse(long millis) throws InterruptedException {
        return responses.poll(millis, TimeUnit.MILLISECONDS);
    }

    public Packet poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    public boolean awaitClosed(long seconds) {
        return channel.closeFuture().awaitUninterruptibly(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
