package org.ternmq.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The administered objects the TCK looks up (docs/tck.md) are all bound, to the embedded broker's port. */
class JndiPropertiesTest {

    private final Properties jndi = new Properties();
    private String brokerUrl;

    @BeforeEach
    void load() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("jndi.properties")) {
            assertThat(in).as("jndi.properties on the test class path").isNotNull();
            jndi.load(in);
        }
        brokerUrl = "tern://127.0.0.1:" + TckSettings.from(System.getProperties()).port();
    }

    @Test
    void namesTernsInitialContextFactory() {
        assertThat(jndi.getProperty("java.naming.factory.initial")).isEqualTo("org.ternmq.jndi.TernInitialContextFactory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MyConnectionFactory", "MyQueueConnectionFactory", "MyTopicConnectionFactory"})
    void bindsFactoriesWithoutClientId(String name) {
        assertThat(jndi.getProperty("connectionFactory." + name)).isEqualTo(brokerUrl);
    }

    @Test
    void bindsTheDurableSubscriptionFactoryWithClientIdCts() {
        assertThat(jndi.getProperty("connectionFactory.DURABLE_SUB_CONNECTION_FACTORY"))
                .isEqualTo(brokerUrl + "?clientId=cts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MY_QUEUE", "MY_QUEUE2", "testQ0", "testQ1", "testQ2", "testQueue2", "Q2"})
    void bindsQueues(String name) {
        assertThat(jndi.getProperty("queue." + name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MY_TOPIC", "MY_TOPIC2", "testT0", "testT1", "testT2"})
    void bindsTopics(String name) {
        assertThat(jndi.getProperty("topic." + name)).isEqualTo(name);
    }

    @Test
    void leavesNoPlaceholderUnfiltered() {
        assertThat(jndi.values()).allSatisfy(value -> assertThat((String) value).doesNotContain("${"));
    }
}
