package org.ternmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ternmq.transport.TransportAddress;

class ConnectionUrlTest {

    @Test
    void tcpWithDefaultsAndSeveralHosts() {
        ConnectionUrl url = ConnectionUrl.parse("tern://a.example,b.example:7000");
        assertThat(url.addresses()).containsExactly(TransportAddress.tcp("a.example", 61616),
                TransportAddress.tcp("b.example", 7000));
        assertThat(url.prefetch()).isEqualTo(ConnectionUrl.DEFAULT_PREFETCH);
        assertThat(url.connectTimeoutMillis()).isEqualTo(ConnectionUrl.DEFAULT_CONNECT_TIMEOUT_MS);
        assertThat(url.clientId()).isNull();
        assertThat(url.user()).isNull();
    }

    @Test
    void optionsAreParsed() {
        ConnectionUrl url = ConnectionUrl.parse(
                "tern://localhost:1234?clientId=cts&user=u&password=p%26w&prefetch=10&connectTimeout=500");
        assertThat(url.clientId()).isEqualTo("cts");
        assertThat(url.user()).isEqualTo("u");
        assertThat(url.password()).isEqualTo("p&w");
        assertThat(url.prefetch()).isEqualTo(10);
        assertThat(url.connectTimeoutMillis()).isEqualTo(500);
        assertThat(url.toString()).doesNotContain("p%26w").contains("password=***");
    }

    @Test
    void maxMessageSizeDefaultsBelowTheBrokersFrameLimitAndMustBePositive() {
        assertThat(ConnectionUrl.parse("tern://a").maxMessageSize()).isEqualTo(ConnectionUrl.DEFAULT_MAX_MESSAGE_SIZE)
                .isLessThan(8 * 1024 * 1024);
        assertThat(ConnectionUrl.parse("tern://a?maxMessageSize=5000").maxMessageSize()).isEqualTo(5000);
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?maxMessageSize=0"))
                .hasMessageContaining("maxMessageSize must be a positive integer");
    }

    @Test
    void maxMessageSizeMayAllowLargeMessagesAndLargeMessageSizeIsBounded() {
        assertThat(ConnectionUrl.parse("tern://a?maxMessageSize=4398046511104").maxMessageSize())
                .isEqualTo(4L << 40);
        assertThat(ConnectionUrl.parse("tern://a").largeMessageSize()).isEqualTo(ConnectionUrl.DEFAULT_LARGE_MESSAGE_SIZE);
        assertThat(ConnectionUrl.parse("tern://a?largeMessageSize=65536").largeMessageSize()).isEqualTo(65536);
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?largeMessageSize=100"))
                .hasMessageContaining("largeMessageSize must be between 1024 and");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?largeMessageSize=9000000"))
                .hasMessageContaining("largeMessageSize must be between 1024 and");
    }

    @Test
    void failoverOptions() {
        ConnectionUrl plain = ConnectionUrl.parse("tern://a,b");
        assertThat(plain.failover()).isFalse();
        assertThat(plain.reconnectAttempts()).isEqualTo(ConnectionUrl.DEFAULT_RECONNECT_ATTEMPTS);
        assertThat(plain.reconnectDelayMillis()).isEqualTo(ConnectionUrl.DEFAULT_RECONNECT_DELAY_MS);
        assertThat(plain.maxReconnectDelayMillis()).isEqualTo(ConnectionUrl.DEFAULT_MAX_RECONNECT_DELAY_MS);
        ConnectionUrl url = ConnectionUrl.parse(
                "tern://a,b?failover=true&reconnectAttempts=-1&reconnectDelay=20&maxReconnectDelay=300");
        assertThat(url.failover()).isTrue();
        assertThat(url.reconnectAttempts()).isEqualTo(-1);
        assertThat(url.reconnectDelayMillis()).isEqualTo(20);
        assertThat(url.maxReconnectDelayMillis()).isEqualTo(300);
        assertThat(ConnectionUrl.parse("tern://a?failover=true&reconnectAttempts=0").reconnectAttempts()).isZero();
    }

    @Test
    void badFailoverOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?failover=yes")).hasMessageContaining("failover must be true or false");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?reconnectAttempts=-2")).hasMessageContaining("reconnectAttempts");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?reconnectDelay=0")).hasMessageContaining("reconnectDelay");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?reconnectDelay=500&maxReconnectDelay=100"))
                .hasMessageContaining("maxReconnectDelay (100) must not be below reconnectDelay (500)");
    }

    @Test
    void heartbeatOptions() {
        ConnectionUrl plain = ConnectionUrl.parse("tern://a");
        assertThat(plain.heartbeatMillis()).isEqualTo(ConnectionUrl.DEFAULT_HEARTBEAT_MS);
        assertThat(plain.connectionTtlMillis()).isEqualTo(3 * ConnectionUrl.DEFAULT_HEARTBEAT_MS);
        ConnectionUrl set = ConnectionUrl.parse("tern://a?heartbeat=1000&connectionTtl=1500");
        assertThat(set.heartbeatMillis()).isEqualTo(1000);
        assertThat(set.connectionTtlMillis()).isEqualTo(1500);
        assertThat(ConnectionUrl.parse("tern://a?heartbeat=200").connectionTtlMillis()).isEqualTo(600);
        ConnectionUrl off = ConnectionUrl.parse("tern://a?heartbeat=0");
        assertThat(off.heartbeatMillis()).isZero();
        assertThat(off.connectionTtlMillis()).isZero();
    }

    @Test
    void badHeartbeatOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?heartbeat=-1")).hasMessageContaining("heartbeat");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?heartbeat=1000&connectionTtl=1000"))
                .hasMessageContaining("connectionTtl (1000) must be above heartbeat (1000)");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?connectionTtl=4000"))
                .hasMessageContaining("connectionTtl (4000) must be above heartbeat (5000)");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?heartbeat=0&connectionTtl=4000"))
                .hasMessageContaining("connectionTtl needs heartbeats");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?connectionTtl=soon")).hasMessageContaining("connectionTtl");
    }

    @Test
    void inVm() {
        ConnectionUrl url = ConnectionUrl.parse("vm://broker1?prefetch=1");
        assertThat(url.addresses()).containsExactly(TransportAddress.vm("broker1"));
        assertThat(url.prefetch()).isEqualTo(1);
    }

    @Test
    void ipv6Host() {
        assertThat(ConnectionUrl.parse("tern://[::1]:5000").addresses()).containsExactly(TransportAddress.tcp("::1", 5000));
    }

    @Test
    void badUrlsSayWhatIsWrong() {
        assertThatThrownBy(() -> ConnectionUrl.parse("http://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tern://");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://x:99999")).hasMessageContaining("bad port '99999'");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://x:abc")).hasMessageContaining("bad port 'abc'");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://:5")).hasMessageContaining("empty or bad host");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a,,b")).hasMessageContaining("empty or bad host");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?color=red")).hasMessageContaining("unknown option 'color'");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?prefetch=0")).hasMessageContaining("prefetch");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://a?prefetch")).hasMessageContaining("name=value");
        assertThatThrownBy(() -> ConnectionUrl.parse("vm://")).hasMessageContaining("in-VM name");
        assertThatThrownBy(() -> ConnectionUrl.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ConnectionUrl.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tlsUrlsAndTheirOptions() {
        ConnectionUrl ssl = ConnectionUrl.parse("tern+ssl://broker:61617?trustStore=/t.p12&trustStorePassword=s3cret");
        assertThat(ssl.ssl()).isTrue();
        assertThat(ssl.verifyHost()).isTrue();
        assertThat(ssl.trustStore()).isEqualTo("/t.p12");
        assertThat(ssl.addresses().get(0).port()).isEqualTo(61617);
        assertThat(ssl.toString()).doesNotContain("s3cret");
        assertThat(ConnectionUrl.parse("tern://h?ssl=true&verifyHost=false").ssl()).isTrue();
        assertThat(ConnectionUrl.parse("tern://h?ssl=true&verifyHost=false").verifyHost()).isFalse();
        assertThat(ConnectionUrl.parse("tern://h").ssl()).isFalse();
        assertThat(ConnectionUrl.parse("tern://h?trustedPackages=com.acme,org.shop").trustedPackages())
                .isEqualTo("com.acme,org.shop");
        assertThatThrownBy(() -> ConnectionUrl.parse("tern://h?ssl=yes")).hasMessageContaining("ssl must be true or false");
        assertThatThrownBy(() -> ConnectionUrl.parse("vm://x?ssl=true")).hasMessageContaining("not in-VM");
    }
}
