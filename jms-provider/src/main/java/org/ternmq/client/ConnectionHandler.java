package org.ternmq.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import org.ternmq.protocol.Packet;

/**
 * The client end of the pipeline: routes responses to their pending requests and deliveries to their
 * consumers, and reports the channel's end. Runs on the channel's event loop only and never blocks.
 * Packets hold no buffers (the decoder copies), so nothing here needs releasing.
 */
final class ConnectionHandler extends SimpleChannelInboundHandler<Packet> {

    private final ClientConnection connection;

    ConnectionHandler(ClientConnection connection) {
        super(Packet.class);
        this.connection = connection;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
        if (!connection.onPacket(packet)) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.onChannelClosed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.onChannelError(cause);
        ctx.close();
    }
}
