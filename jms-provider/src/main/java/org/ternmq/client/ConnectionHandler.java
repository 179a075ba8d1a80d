package org.ternmq.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.protocol.Deliver;
import org.ternmq.protocol.Disconnect;
import org.ternmq.protocol.Packet;

/**
 * The client end of the pipeline: routes responses to their pending requests and deliveries to their
 * consumers, and reports the channel's end. Runs on the channel's event loop only and never blocks.
 * Packets hold no buffers (the decoder copies), so nothing here needs releasing.
 */
final class ConnectionHandler extends SimpleChannelInboundHandler<Packet> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final ClientConnection connection;

    ConnectionHandler(ClientConnection connection) {
        super(Packet.class);
        this.connection = connection;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
        if (packet instanceof Deliver deliver) {
            connection.onDeliver(deliver);
        } else if (packet instanceof org.ternmq.protocol.LargeBodyChunk chunk) {
            connection.onLargeBodyChunk(chunk);
        } else if (packet instanceof Packet.Response response) {
            connection.onResponse(response);
        } else if (packet instanceof Disconnect disconnect) {
            connection.onDisconnect(disconnect);
        } else if (packet instanceof org.ternmq.protocol.HalfCheck check) {
            connection.onHalfCheck(check);
        } else {
            LOG.warn("{}: unexpected packet from the broker, closing: {}", connection, packet);
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
