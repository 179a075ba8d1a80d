package org.ternmq.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.jms.message.TrustedPackages;

/** ObjectMessage deserializes only trusted packages: the defaults, the URL option, the factory, the system property. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObjectMessageSafetyTest {

    /** Stands for a gadget class an attacker would send: anything outside the trusted packages. */
    public static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean deserialized;
        final String payload;

        Gadget(String payload) {
            this.payload = payload;
        }

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(dir).persistence(false).build());
        Gadget.deserialized = false;
    }

    @AfterEach
    void stop() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        broker.close();
        System.clearProperty(TrustedPackages.SYSTEM_PROPERTY);
    }

    private ObjectMessage roundTrip(TernConnectionFactory factory, Serializable object) throws Exception {
        Connection c = factory.createConnection();
        connections.add(c);
        c.start();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("objects-" + connections.size());
        s.createProducer(q).send(s.createObjectMessage(object));
        return (ObjectMessage) s.createConsumer(q).receive(5000);
    }

    @Test
    void anUntrustedClassIsRefusedNamedAndNeverDeserialized() throws Exception {
        HashMap<String, Object> map = new HashMap<>();
        map.put("nested", new Gadget("boom"));
        ObjectMessage got = roundTrip(new TernConnectionFactory(broker.tcpUrl()), map);
        assertThatThrownBy(got::getObject)
                .isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("class " + Gadget.class.getName() + ", which is not in the trusted packages")
                .hasMessageContaining("trustedPackages");
        assertThat(Gadget.deserialized).as("its readObject never ran").isFalse();
        assertThat(got.isBodyAssignableTo(HashMap.class)).isFalse();
        assertThatThrownBy(() -> got.getBody(HashMap.class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void theDefaultPackagesPass() throws Exception {
        HashMap<String, Object> map = new HashMap<>();
        map.put("when", java.time.Instant.ofEpochSecond(1));
        map.put("amount", new java.math.BigDecimal("12.50"));
        map.put("list", new ArrayList<>(List.of(1, 2L, "three", new int[] {4})));
        Object back = roundTrip(new TernConnectionFactory(broker.tcpUrl()), map).getObject();
        assertThat(back).isInstanceOf(HashMap.class);
        assertThat(((HashMap<?, ?>) back).get("amount")).isEqualTo(new java.math.BigDecimal("12.50"));
    }

    @Test
    void theApplicationNamesItsPackagesInTheUrlTheFactoryOrTheSystemProperty() throws Exception {
        String pkg = Gadget.class.getPackageName();
        Object viaUrl = roundTrip(new TernConnectionFactory(broker.tcpUrl() + "?trustedPackages=org.example," + pkg),
                new Gadget("a")).getObject();
        assertThat(((Gadget) viaUrl).payload).isEqualTo("a");

        TernConnectionFactory f = new TernConnectionFactory(broker.tcpUrl());
        f.setTrustedPackages("org.ternmq.it");   // a package trusts its sub-packages
        assertThat(((Gadget) roundTrip(f, new Gadget("b")).getObject()).payload).isEqualTo("b");

        System.setProperty(TrustedPackages.SYSTEM_PROPERTY, pkg);
        assertThat(((Gadget) roundTrip(new TernConnectionFactory(broker.tcpUrl()), new Gadget("c")).getObject()).payload)
                .isEqualTo("c");
    }

    @Test
    void anObjectSetInThisJvmReadsBackBeforeItIsSent() throws Exception {
        Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection();
        connections.add(c);
        ObjectMessage m = c.createSession().createObjectMessage(new Gadget("local"));
        assertThat(((Gadget) m.getObject()).payload).isEqualTo("local");
    }
}
