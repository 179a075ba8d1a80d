package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;

/**
 * Wildcard subscriptions: a consumer on a topic named with the policy wildcards ({@code *} one word,
 * {@code #} any number of words) receives what is published to every topic the name matches.
 */
class WildcardSubscriptionTest extends PolicyTestBase {

    private static void publish(Session s, String topic, String text) throws JMSException {
        publish(s, topic, text, null);
    }

    private static void publish(Session s, String topic, String text, String region) throws JMSException {
        MessageProducer p = s.createProducer(s.createTopic(topic));
        TextMessage m = s.createTextMessage(text);
        if (region != null) {
            m.setStringProperty("region", region);
        }
        p.send(m);
        p.close();
    }

    /** Texts received until nothing comes for 300 ms, each as "text@destination". */
    private static List<String> drain(MessageConsumer c) throws JMSException {
        List<String> got = new ArrayList<>();
        for (Message m = c.receive(300); m != null; m = c.receive(300)) {
            got.add(((TextMessage) m).getText() + "@" + ((Topic) m.getJMSDestination()).getTopicName());
        }
        return got;
    }

    @Test
    void starMatchesOneWordAndHashAnyNumber() throws Exception {
        start();
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer star = s.createConsumer(s.createTopic("orders.*"));
        MessageConsumer hash = s.createConsumer(s.createTopic("orders.#"));
        MessageConsumer plain = s.createConsumer(s.createTopic("orders.eu"));

        publish(s, "orders", "0");
        publish(s, "orders.eu", "1");
        publish(s, "orders.us", "2");
        publish(s, "orders.eu.paris", "3");
        publish(s, "invoices.eu", "4");

        assertThat(drain(star)).containsExactly("1@orders.eu", "2@orders.us");
        assertThat(drain(hash)).containsExactly("0@orders", "1@orders.eu", "2@orders.us", "3@orders.eu.paris");
        assertThat(drain(plain)).containsExactly("1@orders.eu");
    }

    @Test
    void aWildcardSubscriptionMadeAfterATopicWasUsedStillMatchesIt() throws Exception {
        start();
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        publish(s, "late.x", "before anyone listened");
        MessageConsumer early = s.createConsumer(s.createTopic("late.#"));
        publish(s, "late.x", "first");
        MessageConsumer later = s.createConsumer(s.createTopic("*.x"));
        publish(s, "late.x", "second");
        assertThat(drain(early)).containsExactly("first@late.x", "second@late.x");
        assertThat(drain(later)).containsExactly("second@late.x");
    }

    @Test
    void selectorsApplyToWildcardSubscriptions() throws Exception {
        start();
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer onlyNorth = s.createConsumer(s.createTopic("sensors.#"), "region = 'north'");
        publish(s, "sensors.a", "a-north", "north");
        publish(s, "sensors.b.c", "bc-south", "south");
        publish(s, "sensors.b.d", "bd-north", "north");
        assertThat(drain(onlyNorth)).containsExactly("a-north@sensors.a", "bd-north@sensors.b.d");
    }

    @Test
    void durableWildcardSubscriptionKeepsWhatMatchedWhileAwayAcrossARestart() throws Exception {
        start();
        Connection c = broker.connect("wild");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        s.createDurableSubscriber(s.createTopic("audit.#"), "all-audit").close();
        publish(s, "audit.login", "in");
        publish(s, "audit.orders.created", "created");
        publish(s, "other", "not for it");

        broker.restart();
        Connection again = broker.connect("wild");
        Session s2 = again.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer sub = s2.createDurableSubscriber(s2.createTopic("audit.#"), "all-audit");
        publish(s2, "audit.logout", "out");
        assertThat(drain(sub)).containsExactly("in@audit.login", "created@audit.orders.created", "out@audit.logout");
    }

    @Test
    void sharedWildcardSubscriptionSplitsTheMatchingMessages() throws Exception {
        start();
        Connection c = broker.connect();
        Session s1 = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Session s2 = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer one = s1.createSharedConsumer(s1.createTopic("jobs.*"), "workers");
        MessageConsumer two = s2.createSharedConsumer(s2.createTopic("jobs.*"), "workers");
        Session p = c.createSession(Session.AUTO_ACKNOWLEDGE);
        for (int i = 0; i < 10; i++) {
            publish(p, "jobs." + (i % 2 == 0 ? "resize" : "encode"), "j" + i);
        }
        List<String> all = new ArrayList<>(drain(one));
        all.addAll(drain(two));
        assertThat(all).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void sendingToAWildcardTopicIsRefusedAndTheConnectionCarriesOn() throws Exception {
        start();
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer hash = s.createConsumer(s.createTopic("news.#"));
        MessageProducer p = s.createProducer(s.createTopic("news.*"));
        assertThatThrownBy(() -> p.send(s.createTextMessage("to a pattern")))
                .isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("wildcard topic 'news.*'");
        publish(s, "news.sport", "still works");
        assertThat(drain(hash)).containsExactly("still works@news.sport");
    }

    @Test
    void aTopicNameWithAsteriskInsideAWordIsAPlainTopic() throws Exception {
        start();
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer literal = s.createConsumer(s.createTopic("a*b.c"));
        publish(s, "a*b.c", "literal");
        assertThat(drain(literal)).containsExactly("literal@a*b.c");
    }
}
