package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionRolledBackException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;
import org.ternmq.jms.destination.TernQueue;
import org.ternmq.jms.destination.TernTopic;

/**
 * The consumer path of issue 11: sends that are not waited for (non-persistent, or in a transaction) still report
 * their failures, at the next send or at the commit; batched auto-ack and dups-ok acknowledgements all reach the
 * broker, so nothing acknowledged comes back.
 */
class ConsumerPathTest extends IntegrationTestBase {

    /** The broker refuses a send to a wildcard topic, after the client has moved on. */
    private static final Topic REFUSED = new TernTopic("orders.*");

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFailedNonPersistentSendIsReportedByALaterSendAndTheSessionGoesOn(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new TernQueue(BrokerFixture.unique("np"));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);

        producer.send(REFUSED, session.createTextMessage("refused")); // not waited for: returns
        // The next send reports it, and is then not sent: the persistent p1 if the refusal is back already (in-VM it
        // may well be), else the one after p1, since p1 waits for its answer, which comes after the refusal's.
        List<String> sent = new ArrayList<>();
        Throwable reported = catchThrowable(() ->
                producer.send(queue, session.createTextMessage("p1"), DeliveryMode.PERSISTENT, 4, 0));
        if (reported == null) {
            sent.add("p1");
            reported = catchThrowable(() -> producer.send(queue, session.createTextMessage("lost")));
        }
        assertThat(reported).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("an earlier non-persistent send failed")
                .hasMessageContaining("wildcard");
        producer.send(queue, session.createTextMessage("np2"));
        sent.add("np2");

        MessageConsumer consumer = session.createConsumer(queue);
        for (String text : sent) {
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo(text);
        }
        assertThat(consumer.receive(200)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFailedSendInATransactionRollsItBackAtCommit(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new TernQueue(BrokerFixture.unique("tx"));
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = session.createProducer(null);
        producer.send(queue, session.createTextMessage("staged"));
        producer.send(REFUSED, session.createTextMessage("refused"));

        assertThatThrownBy(session::commit).isInstanceOf(TransactionRolledBackException.class)
                .hasMessageContaining("a send in it failed").hasMessageContaining("wildcard");

        // the good send of the failed transaction is gone; the next transaction works
        producer.send(queue, session.createTextMessage("next"));
        session.commit();
        Session reader = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = reader.createConsumer(queue);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("next");
        assertThat(consumer.receive(200)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theCommitAlwaysHearsOfTheTransactionsFailedSend(Transport transport) throws Exception {
        // the commit waits for the last send's answer; it must also see the failure that answer records (the
        // waiting thread could wake before the callback that records it had run: seen once under load in
        // aFailedSendInATransactionRollsItBackAtCommit, not reproduced on demand; this repeats the race)
        Connection connection = fixture.started(transport);
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = session.createProducer(null);
        for (int i = 0; i < 200; i++) {
            producer.send(REFUSED, session.createTextMessage("refused " + i));
            assertThatThrownBy(session::commit).as("commit %d", i).isInstanceOf(TransactionRolledBackException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void transactedSendsAreAllThereAfterCommit(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new TernQueue(BrokerFixture.unique("txmany"));
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = session.createProducer(queue);
        for (int i = 0; i < 250; i++) {
            producer.send(session.createTextMessage("m" + i));
        }
        session.commit();
        MessageConsumer consumer = session.createConsumer(queue);
        for (int i = 0; i < 250; i++) {
            Message m = consumer.receive(5000);
            assertThat(m).as("message %d", i).isNotNull();
            assertThat(((TextMessage) m).getText()).isEqualTo("m" + i);
        }
        session.commit();
        assertThat(consumer.receive(200)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSendOverTheConfiguredMaximumFailsNamingTheLimitAndTheConnectionGoesOn(Transport transport)
            throws Exception {
        Connection connection = fixture.track(new org.ternmq.jms.TernConnectionFactory(
                fixture.url(transport) + "?maxMessageSize=10000").createConnection());
        connection.start();
        Queue queue = new TernQueue(BrokerFixture.unique("big"));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(queue);
        jakarta.jms.BytesMessage big = session.createBytesMessage();
        big.writeBytes(new byte[20_000]);

        assertThatThrownBy(() -> producer.send(big)).isInstanceOf(jakarta.jms.ResourceAllocationException.class)
                .hasMessageContaining("exceeds the maximum message size of 10000 bytes")
                .hasMessageContaining("maxMessageSize");
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        assertThatThrownBy(() -> producer.send(big)).isInstanceOf(jakarta.jms.ResourceAllocationException.class);

        producer.send(session.createTextMessage("small"));
        MessageConsumer consumer = session.createConsumer(queue);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("small");
        assertThat(consumer.receive(200)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void withTheDefaultLimitAMessageTooBigForTheBrokersFrameFailsOnTheClient(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new TernQueue(BrokerFixture.unique("frame"));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(queue);
        jakarta.jms.BytesMessage big = session.createBytesMessage();
        big.writeBytes(new byte[8 * 1024 * 1024]); // the broker's default max-frame-length

        assertThatThrownBy(() -> producer.send(big)).isInstanceOf(jakarta.jms.ResourceAllocationException.class)
                .hasMessageContaining("maximum message size of " + org.ternmq.client.ConnectionUrl.DEFAULT_MAX_MESSAGE_SIZE);

        // before the check the broker closed the connection on such a frame; now it is still there
        producer.send(session.createTextMessage("after"));
        MessageConsumer consumer = session.createConsumer(queue);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("after");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class)
    void batchedAutoAcknowledgementsAllReachTheBroker(Transport transport) throws Exception {
        consumeHalfThenReopen(transport, Session.AUTO_ACKNOWLEDGE);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class)
    void batchedDupsOkAcknowledgementsAllReachTheBroker(Transport transport) throws Exception {
        consumeHalfThenReopen(transport, Session.DUPS_OK_ACKNOWLEDGE);
    }

    /**
     * Consumes 300 of 600 (many still buffered, so acknowledgements wait in a batch), closes the session, and
     * finds exactly the other 300 with a new one, none of them redelivered.
     */
    private void consumeHalfThenReopen(Transport transport, int ackMode) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new TernQueue(BrokerFixture.unique("acks"));
        Session sender = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = sender.createProducer(queue);
        for (int i = 0; i < 600; i++) {
            producer.send(sender.createTextMessage("m" + i));
        }
        sender.commit();

        Session first = connection.createSession(false, ackMode);
        MessageConsumer consumer = first.createConsumer(queue);
        for (int i = 0; i < 300; i++) {
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("m" + i);
        }
        first.close();

        Session second = connection.createSession(false, ackMode);
        MessageConsumer again = second.createConsumer(queue);
        Set<String> rest = new HashSet<>();
        for (int i = 300; i < 600; i++) {
            Message m = again.receive(5000);
            assertThat(m).as("message %d", i).isNotNull();
            assertThat(m.getJMSRedelivered()).as("message %d redelivered", i).isFalse();
            rest.add(((TextMessage) m).getText());
        }
        assertThat(rest).hasSize(300).contains("m300", "m599").doesNotContain("m0", "m299");
        assertThat(again.receive(200)).isNull();
    }
}
