package org.ternmq.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.security.LogCapture;
import org.ternmq.broker.server.ConfigFile;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ClientException;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.jms.TernConnectionFactory;

/** Permissions per destination pattern and role, enforced by the broker; the built-in defaults; JMSXUserID. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthorizationTest {

    private static final String CONFIG = String.join("\n",
            "permission.default.send=",
            "permission.default.consume=",
            "permission.default.browse=",
            "permission.default.create-durable=",
            "permission.default.delete-durable=",
            "permission.default.create-temporary=backoffice",
            "permission.orders.match=orders.#",
            "permission.orders.send=shop",
            "permission.orders.consume=backoffice",
            "permission.orders.browse=backoffice",
            "permission.news.match=news",
            "permission.news.consume=*",
            "permission.news.send=backoffice",
            "permission.news.create-durable=backoffice",
            "permission.news.delete-durable=backoffice",
            "permission.reports.match=reports",
            "permission.reports.manage=backoffice",
            "policy.orders.match=orders.#",
            "policy.orders.set-user-id=true");

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Connection c : connections) {
            c.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void start(String config) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(config));
        ConfigFile.Contents contents = ConfigFile.parse(p, "test");
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(dir).persistence(false)
                .policies(contents.policies()).permissions(contents.permissions())
                .user("shop", "pw", "shop").user("back", "pw", "backoffice").user("nobody", "pw")
                .user("root", "pw", "admin").build());
    }

    private Session session(String user) throws Exception {
        Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection(user, "pw");
        connections.add(c);
        c.start();
        return c.createSession(Session.AUTO_ACKNOWLEDGE);
    }

    @Test
    void sendConsumeAndBrowseFollowThePatternsAndRoles() throws Exception {
        start(CONFIG);
        Session shop = session("shop");
        Session back = session("back");
        Queue orders = shop.createQueue("orders.eu");
        TextMessage m = shop.createTextMessage("order 1");
        m.setStringProperty("JMSXUserID", "forged");
        try (LogCapture log = new LogCapture()) {
            shop.createProducer(orders).send(m);
            Message got = back.createConsumer(orders).receive(5000);
            assertThat(got).isInstanceOf(TextMessage.class);
            assertThat(got.getStringProperty("JMSXUserID")).as("set by the broker (set-user-id)").isEqualTo("shop");

            assertThatThrownBy(() -> shop.createConsumer(orders))
                    .isInstanceOf(JMSSecurityException.class)
                    .hasMessageContaining("user 'shop' lacks permission 'consume' on queue 'orders.eu'");
            assertThatThrownBy(() -> back.createProducer(orders).send(back.createTextMessage("x")))
                    .isInstanceOf(JMSSecurityException.class)
                    .hasMessageContaining("user 'back' lacks permission 'send' on queue 'orders.eu'");
            Session nobody = session("nobody");
            assertThatThrownBy(() -> {
                QueueBrowser b = nobody.createBrowser(orders);
                b.getEnumeration().hasMoreElements();
            }).isInstanceOf(JMSSecurityException.class).hasMessageContaining("lacks permission 'browse' on queue 'orders.eu'");
            // nothing else granted by default in this file
            assertThatThrownBy(() -> shop.createProducer(shop.createQueue("other")).send(shop.createTextMessage("x")))
                    .isInstanceOf(JMSSecurityException.class).hasMessageContaining("'send' on queue 'other'");
            assertThat(log.lines("org.ternmq.audit")).anySatisfy(l -> assertThat(l)
                    .contains("denied user=\"shop\"").contains("permission=consume").contains("destination=\"orders.eu\""));
        }
        // an administrator holds every permission
        Session root = session("root");
        root.createProducer(root.createQueue("other")).send(root.createTextMessage("x"));
        assertThat(root.createConsumer(root.createQueue("other")).receive(5000)).isNotNull();
    }

    @Test
    void durableSubscriptionsNeedCreateAndDeletePermissions() throws Exception {
        start(CONFIG);
        Connection back = new TernConnectionFactory(broker.tcpUrl()).createConnection("back", "pw");
        connections.add(back);
        back.setClientID("back-app");
        Session bs = back.createSession(Session.AUTO_ACKNOWLEDGE);
        Topic news = bs.createTopic("news");
        bs.createDurableSubscriber(news, "all-news").close();

        Connection shop = new TernConnectionFactory(broker.tcpUrl()).createConnection("shop", "pw");
        connections.add(shop);
        shop.setClientID("shop-app");
        Session ss = shop.createSession(Session.AUTO_ACKNOWLEDGE);
        ss.createConsumer(news).close();   // consume=* : non-durable is fine
        assertThatThrownBy(() -> ss.createDurableSubscriber(news, "mine"))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("user 'shop' lacks permission 'create-durable' on topic 'news'");

        // a subscription made for shop's client id by an administrator: shop may use it but not delete it
        Connection root = new TernConnectionFactory(broker.tcpUrl()).createConnection("root", "pw");
        root.setClientID("shop-app-2");
        root.createSession(Session.AUTO_ACKNOWLEDGE).createDurableSubscriber(news, "given").close();
        root.close();
        Connection shop2 = new TernConnectionFactory(broker.tcpUrl()).createConnection("shop", "pw");
        connections.add(shop2);
        shop2.setClientID("shop-app-2");
        Session s2 = shop2.createSession(Session.AUTO_ACKNOWLEDGE);
        s2.createDurableSubscriber(news, "given").close();
        assertThatThrownBy(() -> s2.unsubscribe("given"))
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("lacks permission 'delete-durable' on topic 'news'");
        bs.unsubscribe("all-news");
    }

    @Test
    void temporaryDestinationsNeedCreateTemporaryAndServeOnlyTheirConnection() throws Exception {
        start(CONFIG);
        Session shop = session("shop");
        assertThatThrownBy(shop::createTemporaryQueue)
                .isInstanceOf(JMSSecurityException.class)
                .hasMessageContaining("lacks permission 'create-temporary'");
        Session back = session("back");
        TemporaryQueue replies = back.createTemporaryQueue();
        // anyone may reply to it (shop has no send permission anywhere but orders)...
        shop.createProducer(replies).send(shop.createTextMessage("reply"));
        assertThat(back.createConsumer(replies).receive(5000)).isNotNull();
        // ...but only its own connection consumes from it
        Session otherBack = session("back");
        assertThatThrownBy(() -> otherBack.createConsumer(replies))
                .hasMessageContaining("belongs to another connection");
    }

    @Test
    void byDefaultUsersMayUseDestinationsButNotTheDeadLetterQueueOrManagement() throws Exception {
        start("policy.o.match=orders\npolicy.o.dead-letter-destination=orders.failed");
        Session nobody = session("nobody");
        Queue q = nobody.createQueue("anything");
        nobody.createProducer(q).send(nobody.createTextMessage("x"));
        assertThat(nobody.createConsumer(q).receive(5000)).isNotNull();
        for (String dlq : List.of("DLQ", "ExpiryQueue", "orders.failed")) {
            assertThatThrownBy(() -> nobody.createConsumer(nobody.createQueue(dlq)))
                    .isInstanceOf(JMSSecurityException.class)
                    .hasMessageContaining("lacks permission 'consume' on queue '" + dlq + "'");
        }
        assertThatThrownBy(() -> manage("nobody", "list-queues", null))
                .isInstanceOf(ClientException.class).hasMessageContaining("lacks permission 'manage' on '#'");
        Session root = session("root");
        root.createConsumer(root.createQueue("DLQ")).close();
        assertThat(manage("root", "list-queues", null)).contains("anything");
    }

    @Test
    void manageMayBeGrantedPerQueueAndIsAudited() throws Exception {
        start(CONFIG);
        Session root = session("root");
        for (String q : List.of("reports", "orders.eu")) {
            root.createProducer(root.createQueue(q)).send(root.createTextMessage("x"));
        }
        try (LogCapture log = new LogCapture()) {
            assertThat(manage("back", "purge", "reports")).isNotNull();
            assertThatThrownBy(() -> manage("back", "purge", "orders.eu")).hasMessageContaining("lacks permission 'manage' on 'orders.eu'");
            assertThat(log.lines("manage user=\"back\"")).hasSize(2)
                    .anySatisfy(l -> assertThat(l).contains("operation=purge").contains("queue=reports").contains("outcome=\"allowed\""))
                    .anySatisfy(l -> assertThat(l).contains("queue=orders.eu").contains("outcome=\"denied\""));
        }
    }

    private String manage(String user, String operation, String queue) throws Exception {
        try (ClientConnection c = ClientConnection.connect(ConnectionUrl.parse(broker.tcpUrl()), user, "pw")) {
            return c.manage(operation, queue, null, null).text();
        }
    }
}
