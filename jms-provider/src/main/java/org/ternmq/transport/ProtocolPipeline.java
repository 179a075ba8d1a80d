package org.ternmq.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import org.ternmq.protocol.PacketDecoder;
import org.ternmq.protocol.PacketEncoder;

/**
 * The one pipeline both ends of a connection use, over TCP and in-VM alike: frame decoder, packet
 * encoder, then the side's own handler. Keeping it in one place is what makes one test suite cover both
 * transports.
 */
public final class ProtocolPipeline {

    private ProtocolPipeline() {
    }

    public static void install(ChannelPipeline pipeline, int maxFrameLength, ChannelHandler handler) {
        pipeline.addLast("decoder", new PacketDecoder(maxFrameLength));
        pipeline.addLast("encoder", PacketEncoder.INSTANCE);
        pipeline.addLast("handler", handler);
    }
}
