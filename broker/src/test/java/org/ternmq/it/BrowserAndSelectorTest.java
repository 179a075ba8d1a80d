package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;

class BrowserAndSelectorTest extends IntegrationTestBase {

    private static Queue fill(Session session, String name, int count) throws Exception {
        Queue queue = session.createQueue(BrokerFixture.unique(name));
        MessageProducer producer = session.createProducer(queue);
        for (int i = 0; i < count; i++) {
            TextMessage m = session.createTextMessage("m" + i);
            m.setIntProperty("n", i);
            m.setStringProperty("color", i % 2 == 0 ? "red" : "blue");
            producer.send(m);
        }
        return queue;
    }

    private static List<String> texts(Enumeration<?> e) throws Exception {
        List<String> result = new ArrayList<>();
        while (e.hasMoreElements()) {
            result.add(((TextMessage) e.nextElement()).getText());
        }
        return result;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void browsingDoesNotConsume(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = fill(session, "browse", 250);
        QueueBrowser browser = session.createBrowser(queue);
        assertThat(browser.getQueue()).isEqualTo(queue);
        List<String> seen = texts(browser.getEnumeration());
        assertThat(seen).hasSize(250).startsWith("m0", "m1").endsWith("m249");
        assertThat(texts(browser.getEnumeration())).hasSize(250);
        QueueBrowser red = session.createBrowser(queue, "color = 'red'");
        assertThat(texts(red.getEnumeration())).hasSize(125).allMatch(t -> Integer.parseInt(t.substring(1)) % 2 == 0);
        browser.close();
        MessageConsumer consumer = session.createConsumer(queue);
        for (int i = 0; i < 250; i++) {
            assertThat(consumer.receive(5000)).isNotNull();
        }
        assertThat(texts(red.getEnumeration())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void selectorFiltersOnTheBroker(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = fill(session, "select", 10);
        MessageConsumer blue = session.createConsumer(queue, "color = 'blue' AND n > 4");
        assertThat(blue.getMessageSelector()).isEqualTo("color = 'blue' AND n > 4");
        List<Integer> ns = new ArrayList<>();
        Message m;
        while ((m = blue.receive(300)) != null) {
            ns.add(m.getIntProperty("n"));
        }
        assertThat(ns).containsExactly(5, 7, 9);
        MessageConsumer rest = session.createConsumer(queue);
        int remaining = 0;
        while (rest.receive(300) != null) {
            remaining++;
        }
        assertThat(remaining).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void invalidSelectorsAreRefused(Transport transport) throws Exception {
        Connection connection = fixture.connect(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("badsel"));
        assertThatThrownBy(() -> session.createConsumer(queue, "color = ")).isInstanceOf(InvalidSelectorException.class);
        assertThatThrownBy(() -> session.createBrowser(queue, "((")).isInstanceOf(InvalidSelectorException.class);
        assertThatThrownBy(() -> session.createDurableConsumer(session.createTopic("t"), "d", "x >", false))
                .isInstanceOf(Exception.class);
    }
}
