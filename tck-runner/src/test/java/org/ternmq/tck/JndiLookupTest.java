package org.ternmq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnectionFactory;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Looks names up the way the TCK does, {@code new InitialContext().lookup(name)}, and casts as it does. */
class JndiLookupTest {

    private InitialContext context;

    @BeforeEach
    void open() throws NamingException {
        context = new InitialContext();
    }

    @AfterEach
    void close() throws NamingException {
        context.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MyConnectionFactory", "MyQueueConnectionFactory", "MyTopicConnectionFactory",
            "DURABLE_SUB_CONNECTION_FACTORY"})
    void factoriesServeAsEveryFactoryType(String name) throws NamingException {
        assertThat(context.lookup(name))
                .isInstanceOf(ConnectionFactory.class)
                .isInstanceOf(QueueConnectionFactory.class)
                .isInstanceOf(TopicConnectionFactory.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MY_QUEUE", "MY_QUEUE2", "testQ0", "testQ1", "testQ2", "testQueue2", "Q2"})
    void queuesAreQueuesOfTheirName(String name) throws Exception {
        assertThat(context.lookup(name)).isInstanceOfSatisfying(Queue.class,
                queue -> assertThat(queueName(queue)).isEqualTo(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MY_TOPIC", "MY_TOPIC2", "testT0", "testT1", "testT2"})
    void topicsAreTopicsOfTheirName(String name) throws Exception {
        assertThat(context.lookup(name)).isInstanceOfSatisfying(Topic.class,
                topic -> assertThat(topicName(topic)).isEqualTo(name));
    }

    private static String queueName(Queue queue) {
        try {
            return queue.getQueueName();
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
    }

    private static String topicName(Topic topic) {
        try {
            return topic.getTopicName();
        } catch (jakarta.jms.JMSException e) {
            throw new AssertionError(e);
        }
    }
}
