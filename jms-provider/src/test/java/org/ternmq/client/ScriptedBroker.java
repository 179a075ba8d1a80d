package org.ternmq.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;

import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.ErrorResponse;
import org.ternmq.protocol.FrameDescriptor;
import org.ternmq.protocol.Hello;
import org.ternmq.protocol.HelloOk;
import org.ternmq.protocol.Ok;
import org.ternmq.protocol.Packet;
import org.ternmq.transport.ProtocolPipeline;
import org.ternmq.transport.TransportAddress;
import org.ternmq.transport.TransportGroups;

/**
 * A tiny fake broker on an in-VM address for client tests: answers Hello (refusing user "bad"), answers
 * every other request with what {@link #script} says (Ok by default; null means no answer), and records
 * everything it receives. Its own event loop; close it after the test.
 */
final class ScriptedBroker implements AutoCloseable {

    final List<Packet> received = new CopyOnWriteArrayList<>();
    final List<Channel> clients = new CopyOnWriteArrayList<>();
    volatile Function<Packet.Request, Packet> script = r -> new Ok(r.correlationId());
    /** Requests after whose answer the broker closes the client's channel. */
    volatile java.util.function.Predicate<Packet.Request> closeAfter = r -> false;

    private final EventLoopGroup group = TransportGroups.newGroup(TransportAddress.Type.VM, "scripted-broker", 1);
    private final Channel server;
    final String name;

    ScriptedBroker(String name) throws InterruptedException {
        this.name = name;
        server = new ServerBootstrap()
                .group(group)
                .channel(TransportGroups.serverChannelClass(TransportAddress.Type.VM))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        ProtocolPipeline.install(ch.pipeline(), FrameDescriptor.DEFAULT_MAX_FRAME_LENGTH, new Responder());
                    }
                })
                .bind(TransportAddress.vm(name).socketAddress()).sync().channel();
    }

    String url() {
        return "vm://" + name;
    }

    /** Sends a packet to every connected client. */
    void push(Packet packet) {
        for (Channel c : clients) {
            c.writeAndFlush(packet);
        }
    }

    void dropClients() {
        for (Channel c : clients) {
            c.close();
        }
    }

    private final class Responder extends SimpleChannelInboundHandler<Packet> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
            received.add(packet);
            if (packet instanceof Hello hello) {
                if ("bad".equals(hello.user())) {
                    ctx.writeAndFlush(new ErrorResponse(hello.correlationId(), ErrorCode.SECURITY, "bad credentials"))
                            .addListener(f -> ctx.close());
                } else {
                    ctx.writeAndFlush(new HelloOk(hello.correlationId(), "conn-1", "scripted", "0", 1 << 20, "scripted-node"));
                }
            } else if (packet instanceof Packet.Request request) {
                Packet answer = script.apply(request);
                if (answer != null) {
                    ctx.writeAndFlush(answer);
                }
                if (closeAfter.test(request)) {
                    ctx.close();
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.close().sync();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
}
