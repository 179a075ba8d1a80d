package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;
import org.ternmq.jms.TernConnectionFactory;

class ConnectionRulesTest extends IntegrationTestBase {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientIdIsFreeTheMomentItsConnectionHasClosed(Transport transport) throws Exception {
        TernConnectionFactory administered = fixture.factory(transport);
        administered.setClientId(BrokerFixture.unique("reused"));
        for (int i = 0; i < 50; i++) {
            Connection c = administered.createConnection();
            c.createSession().createConsumer(c.createSession().createTopic("t")).close();
            c.close();
        }
        Connection last = fixture.track(administered.createConnection());
        assertThat(last.getClientID()).startsWith("reused");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientIdRules(Transport transport) throws Exception {
        String id = BrokerFixture.unique("id");
        Connection a = fixture.connect(transport);
        assertThat(a.getClientID()).isNull();
        a.setClientID(id);
        assertThat(a.getClientID()).isEqualTo(id);
        assertThatThrownBy(() -> a.setClientID("other")).isInstanceOf(IllegalStateException.class);

        Connection b = fixture.connect(transport);
        assertThatThrownBy(() -> b.setClientID(id)).isInstanceOf(InvalidClientIDException.class);

        Connection c = fixture.connect(transport);
        c.createSession().close();
        assertThatThrownBy(() -> c.setClientID(BrokerFixture.unique("late"))).isInstanceOf(IllegalStateException.class);

        TernConnectionFactory administered = fixture.factory(transport);
        String adminId = BrokerFixture.unique("admin");
        administered.setClientId(adminId);
        Connection d = fixture.track(administered.createConnection());
        assertThat(d.getClientID()).isEqualTo(adminId);
        assertThatThrownBy(() -> d.setClientID("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(administered::createConnection).isInstanceOf(InvalidClientIDException.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void credentialsAreChecked(Transport transport) throws Exception {
        TernConnectionFactory factory = fixture.factory(transport);
        assertThatThrownBy(() -> factory.createConnection("invalid", "invalid")).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> factory.createContext("invalid", "invalid")).isInstanceOf(JMSSecurityRuntimeException.class);
        fixture.track(factory.createConnection(BrokerFixture.USER, BrokerFixture.PASSWORD)).createSession().close();
        try (JMSContext context = factory.createContext(BrokerFixture.USER, BrokerFixture.PASSWORD)) {
            assertThat(context.getMetaData().getJMSProviderName()).isEqualTo("Tern");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closedObjectsThrowIllegalStateButCloseIsIdempotent(Transport transport) throws Exception {
        Connection connection = fixture.connect(transport);
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue queue = session.createQueue(BrokerFixture.unique("closed"));
        MessageProducer producer = session.createProducer(queue);
        MessageConsumer consumer = session.createConsumer(queue);
        QueueBrowser browser = session.createBrowser(queue);
        connection.close();
        connection.close();
        session.close();
        producer.close();
        consumer.close();
        browser.close();
        assertThatThrownBy(connection::createSession).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::getClientID).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::getMetaData).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(session::createMessage).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(session::getTransacted).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(session::recover).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> session.createConsumer(queue)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> producer.send(session.createMessage())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(producer::getDeliveryMode).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(consumer::receive).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(consumer::getMessageSelector).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(browser::getEnumeration).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void domainSessionsRefuseTheOtherDomain(Transport transport) throws Exception {
        TernConnectionFactory factory = fixture.factory(transport);
        QueueConnection qc = fixture.track(factory.createQueueConnection());
        QueueSession qs = qc.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(() -> qs.createTopic("t")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(qs::createTemporaryTopic).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> qs.unsubscribe("s")).isInstanceOf(IllegalStateException.class);
        TopicConnection tc = fixture.track(factory.createTopicConnection());
        TopicSession ts = tc.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(() -> ts.createQueue("q")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(ts::createTemporaryQueue).isInstanceOf(IllegalStateException.class);
        assertThat(ts.createTopic("t").getTopicName()).isEqualTo("t");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void metaData(Transport transport) throws Exception {
        ConnectionMetaData meta = fixture.connect(transport).getMetaData();
        assertThat(meta.getJMSVersion()).isEqualTo("3.1");
        assertThat(meta.getJMSMajorVersion()).isEqualTo(3);
        assertThat(meta.getJMSMinorVersion()).isEqualTo(1);
        assertThat(meta.getJMSProviderName()).isEqualTo("Tern");
        @SuppressWarnings("unchecked")
        java.util.List<String> names = Collections.list((java.util.Enumeration<String>) meta.getJMSXPropertyNames());
        assertThat(names).contains("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void exceptionListenerHearsOfTheBrokersEnd(Transport transport) throws Exception {
        BrokerFixture own = new BrokerFixture();
        try {
            Connection connection = own.connect(transport);
            AtomicReference<JMSException> heard = new AtomicReference<>();
            connection.setExceptionListener(heard::set);
            MessageConsumer consumer = connection.createSession().createConsumer(
                    new org.ternmq.jms.destination.TernQueue("q"));
            connection.start();
            own.closeBrokerOnly();
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.get() != null);
            assertThatThrownBy(consumer::receive).isInstanceOf(JMSException.class);
            connection.close();
        } finally {
            own.close();
        }
    }
}
