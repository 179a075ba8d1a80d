package org.ternmq.broker.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.core.MessageProperties;
import org.ternmq.broker.testing.RawBroker;
import org.ternmq.broker.testing.RawClient;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.*;

/** Moving messages out of a dead-letter queue, purging, listing: through the API, JMX and the protocol. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManagementTest {

    @TempDir
    Path data;
    private RawBroker fixture;
    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void start(boolean withUsers, String... policy) throws Exception {
        fixture = new RawBroker(data, "mgmt").policy("policy.default.max-delivery-attempts", "1").policy(policy);
        if (withUsers) {
            fixture.configure(b -> b.user("admin", "pw", "admin").user("app", "pw").allowAnonymous(false));
        }
        broker = fixture.start();
    }

    private RawClient session(String user) throws Exception {
        return fixture.session(user, user == null ? null : "pw", null, 2);
    }

    /** Sends messages to {@code queue} and fails them once each, so they land in the DLQ. */
    private void poison(RawClient c, String queue, String... colours) throws Exception {
        for (String colour : colours) {
            c.request(id -> new Send(id, 1, new MessageEncoder().destination(Address.queue(queue))
                    .messageId("ID:" + colour).property("colour", colour).encode().bytes()));
        }
        c.request(id -> new CreateConsumer(id, 1, 1, Address.queue(queue), null, false, null, false, false, 100));
        long last = 0;
        for (int i = 0; i < colours.length; i++) {
            last = c.next(Deliver.class).deliveryId();
        }
        long lastReceived = last;
        c.request(id -> new CloseConsumer(id, 1, lastReceived, new long[0]));
        c.request(id -> new Recover(id, 1, lastReceived, new long[0]));
    }

    private static List<String> receiveAll(RawClient c, long consumerId, String queue) throws Exception {
        c.request(id -> new CreateConsumer(id, 1, consumerId, Address.queue(queue), null, false, null, false, false, 100));
        List<String> ids = new ArrayList<>();
        Packet p;
        while ((p = c.poll(300)) != null) {
            ids.add(EncodedMessage.wrap(((Deliver) p).message()).messageId());
        }
        return ids;
    }

    @Test
    void deadLettersMoveBackToWhereTheyCameFromAllOrBySelector() throws Exception {
        start(false);
        RawClient c = session(null);
        poison(c, "orders", "red", "green", "blue");
        BrokerManagement mgmt = broker.management();
        assertThat(mgmt.listQueues()).contains("DLQ").contains("orders");
        assertThat(mgmt.moveMessages("DLQ", null, "colour = 'green'")).isEqualTo(1);
        assertThat(receiveAll(c, 2, "orders")).containsExactly("ID:green");
        assertThat(mgmt.moveMessages("DLQ", "elsewhere", "")).isEqualTo(2);
        assertThat(receiveAll(c, 3, "elsewhere")).containsExactly("ID:red", "ID:blue");
        assertThat(receiveAll(c, 4, "DLQ")).isEmpty();
    }

    @Test
    void purgeRemovesMessagesAndBadRequestsAreRefused() throws Exception {
        start(false);
        RawClient c = session(null);
        for (int i = 0; i < 3; i++) {
            int n = i;
            c.request(id -> new Send(id, 1, new MessageEncoder().destination(Address.queue("junk"))
                    .messageId("ID:" + n).property("n", n).encode().bytes()));
        }
        BrokerManagement mgmt = broker.management();
        assertThat(mgmt.purge("junk", "n = 0")).isEqualTo(1);
        assertThat(mgmt.purge("junk", null)).isEqualTo(2);
        assertThatThrownBy(() -> mgmt.purge("no-such-queue", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no queue 'no-such-queue'");
        assertThatThrownBy(() -> mgmt.moveMessages("junk", null, "a >>> b")).hasMessageContaining("invalid selector");
    }

    @Test
    void purgeReachesPagedMessagesAndMovesSayWhatTheyCouldNotExamine() throws Exception {
        start(false, "policy.default.max-memory-messages", "10");
        RawClient c = session(null);
        for (int i = 0; i < 50; i++) {
            int n = i;
            c.request(id -> new Send(id, 1, new MessageEncoder().destination(Address.queue("big"))
                    .messageId("ID:" + n).property("n", n).encode().bytes()));
        }
        BrokerManagement mgmt = broker.management();
        ManageResult moved = mgmt.run(new Manage(0, "move-messages", "big", "small", "n < 5"));
        assertThat(moved.count()).isEqualTo(5);
        assertThat(moved.text()).contains("40 message(s) paged out to the journal were not examined");
        assertThat(mgmt.purge("big", null)).isEqualTo(45);
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(mgmt.listQueues()).containsPattern("big\\s+0\\s+0").containsPattern("small\\s+5\\s+0"));
        assertThat(receiveAll(c, 2, "big")).isEmpty();
        assertThat(receiveAll(c, 3, "small")).containsExactly("ID:0", "ID:1", "ID:2", "ID:3", "ID:4");
    }

    @Test
    void theBrokerIsManageableThroughJmx() throws Exception {
        start(false);
        RawClient c = session(null);
        poison(c, "jmx-orders", "one");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = server.queryNames(new ObjectName("org.ternmq:type=Broker,vm=\"" + broker.config().inVmName() + "\",*"), null)
                .iterator().next();
        Object moved = server.invoke(name, "moveMessages", new Object[] {"DLQ", null, null},
                new String[] {String.class.getName(), String.class.getName(), String.class.getName()});
        assertThat(moved).isEqualTo(1);
        assertThat(receiveAll(c, 2, "jmx-orders")).containsExactly("ID:one");
        broker.close();
        assertThat(server.isRegistered(name)).isFalse();
        broker = null;
    }

    @Test
    void onlyAdministratorsMayManageOverTheProtocol() throws Exception {
        start(true);
        RawClient app = session("app");
        Packet refused = app.request(id -> new Manage(id, "list-queues", null, null, null));
        assertThat(((ErrorResponse) refused).code()).isEqualTo(ErrorCode.SECURITY);
        RawClient admin = session("admin");
        poison(admin, "q", "x");
        ManageResult moved = (ManageResult) admin.request(id -> new Manage(id, "move-messages", "DLQ", null, null));
        assertThat(moved.count()).isEqualTo(1);
        assertThat(moved.text()).contains("moved 1 message(s) from DLQ");
        Packet unknown = admin.request(id -> new Manage(id, "explode", null, null, null));
        assertThat(((ErrorResponse) unknown).code()).isEqualTo(ErrorCode.UNSUPPORTED);
    }

    @Test
    void aReportedListenerFailureIsRecordedOnTheDeadLetter() throws Exception {
        start(false);
        RawClient c = session(null);
        c.request(id -> new Send(id, 1, new MessageEncoder().destination(Address.queue("fails"))
                .messageId("ID:f").encode().bytes()));
        c.request(id -> new CreateConsumer(id, 1, 1, Address.queue("fails"), null, false, null, false, false, 10));
        Deliver d = c.next(Deliver.class);
        c.send(new DeliveryFailure(1, d.deliveryId(), "java.lang.IllegalStateException: cannot parse order"));
        c.request(id -> new Recover(id, 1, d.deliveryId(), new long[0]));
        c.request(id -> new CreateConsumer(id, 1, 2, Address.queue("DLQ"), null, false, null, false, false, 10));
        EncodedMessage dead = EncodedMessage.wrap(c.next(Deliver.class).message());
        assertThat(dead.property(MessageProperties.DEAD_LETTER_EXCEPTION))
                .isEqualTo("java.lang.IllegalStateException: cannot parse order");
    }
}
