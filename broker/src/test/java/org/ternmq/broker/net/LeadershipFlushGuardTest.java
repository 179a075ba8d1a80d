package org.ternmq.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** What a broker that lost its lease does with answers already written but not yet flushed. */
class LeadershipFlushGuardTest {

    @Test
    void answersWrittenBeforeTheLeaseRanOutAreNotFlushedAfterItAndTheConnectionCloses() {
        AtomicReference<String> lost = new AtomicReference<>();
        EmbeddedChannel channel = new EmbeddedChannel(new LeadershipFlushGuard(lost::get));

        channel.writeAndFlush("answer while live");
        assertThat((Object) channel.readOutbound()).isEqualTo("answer while live");

        // decided while the lease held, written to the channel, and then the broker stalled past its lease
        channel.write("answer decided before the stall");
        lost.set("this broker's ZooKeeper lease ran out");
        channel.flush();

        assertThat((Object) channel.readOutbound()).as("nothing reaches the socket").isNull();
        assertThat(channel.isOpen()).as("the client is made to fail over").isFalse();
        channel.flush(); // a later flush on the closed channel is harmless
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void aBrokerWithoutReplicationFlushesAsBefore() {
        EmbeddedChannel channel = new EmbeddedChannel(new LeadershipFlushGuard(() -> null));
        channel.write("a");
        channel.write("b");
        channel.flush();
        assertThat((Object) channel.readOutbound()).isEqualTo("a");
        assertThat((Object) channel.readOutbound()).isEqualTo("b");
        assertThat(channel.isOpen()).isTrue();
    }
}
