package org.ternmq.jndi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Hashtable;

import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;

import jakarta.jms.Queue;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnectionFactory;

import org.junit.jupiter.api.Test;
import org.ternmq.jms.TernConnectionFactory;

class TernInitialContextFactoryTest {

    private static Context context() throws Exception {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, TernInitialContextFactory.class.getName());
        env.put("connectionFactory.CF", "tern://localhost:5000");
        env.put("connectionFactory.Durable", "vm://b?clientId=cts");
        env.put("queue.MY_QUEUE", "orders");
        env.put("topic.MY_TOPIC", "prices");
        return new InitialContext(env);
    }

    @Test
    void bindsFactoriesQueuesAndTopics() throws Exception {
        Context ctx = context();
        TernConnectionFactory cf = (TernConnectionFactory) ctx.lookup("CF");
        assertThat(cf.getUrl()).isEqualTo("tern://localhost:5000");
        assertThat(cf).isInstanceOf(QueueConnectionFactory.class).isInstanceOf(TopicConnectionFactory.class);
        assertThat(((TernConnectionFactory) ctx.lookup("Durable")).getClientId()).isEqualTo("cts");
        assertThat(((Queue) ctx.lookup("MY_QUEUE")).getQueueName()).isEqualTo("orders");
        assertThat(((Topic) ctx.lookup("MY_TOPIC")).getTopicName()).isEqualTo("prices");
        ctx.close();
    }

    @Test
    void unknownNamesAndChangesAreRefused() throws Exception {
        Context ctx = context();
        assertThatThrownBy(() -> ctx.lookup("nope")).isInstanceOf(NameNotFoundException.class);
        assertThatThrownBy(() -> ctx.bind("x", "y")).isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.rebind("x", "y")).isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.unbind("MY_QUEUE")).isInstanceOf(OperationNotSupportedException.class);
        assertThatThrownBy(() -> ctx.createSubcontext("s")).isInstanceOf(OperationNotSupportedException.class);
        assertThat(ctx.lookup("MY_QUEUE")).isNotNull();
    }

    @Test
    void listsItsBindings() throws Exception {
        Context ctx = context();
        int count = 0;
        for (var e = ctx.listBindings(""); e.hasMore(); e.next()) {
            count++;
        }
        assertThat(count).isEqualTo(4);
    }

    @Test
    void badEntriesFailClearly() {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put("connectionFactory.CF", "http://nope");
        assertThatThrownBy(() -> new TernInitialContextFactory().getInitialContext(env))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("connectionFactory.CF");
    }
}
