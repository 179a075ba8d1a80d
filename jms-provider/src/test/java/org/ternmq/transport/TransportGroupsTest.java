package org.ternmq.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalChannel;
import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class TransportGroupsTest {

    /** The native library ships in the jars: a packaging change that dropped it would silently fall back to NIO. */
    @Test
    void tcpRunsOnNativeEpollOnLinuxX8664() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"));
        assumeTrue(!Boolean.getBoolean(TransportGroups.NIO_PROPERTY));

        assertThat(TransportGroups.nativeEpoll()).isTrue();
        assertThat(TransportGroups.clientChannelClass(TransportAddress.Type.TCP)).isEqualTo(EpollSocketChannel.class);
        assertThat(TransportGroups.serverChannelClass(TransportAddress.Type.TCP))
                .isEqualTo(EpollServerSocketChannel.class);
        assertThat(TransportGroups.clientChannelClass(TransportAddress.Type.VM)).isEqualTo(LocalChannel.class);
    }

    @Test
    void aTakenAddressBecomesABindExceptionAndNothingElseDoes() {
        // the message the native transport gives (its exception type needs the native library loaded to be built)
        IOException taken = new IOException("bind(..) failed: Address already in use");
        Exception translated = TransportGroups.bindFailure(taken);
        assertThat(translated).isInstanceOf(BindException.class).hasMessageContaining("Address already in use")
                .hasCause(taken);

        BindException already = new BindException("Address already in use");
        assertThat(TransportGroups.bindFailure(already)).isSameAs(already);
        IOException other = new IOException("bind(..) failed: Permission denied");
        assertThat(TransportGroups.bindFailure(other)).isSameAs(other);
        IllegalStateException notIo = new IllegalStateException("Address already in use");
        assertThat(TransportGroups.bindFailure(notIo)).isSameAs(notIo);
    }
}
