package org.ternmq.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.testing.RawBroker;
import org.ternmq.broker.testing.RawClient;
import org.ternmq.message.Address;
import org.ternmq.message.BodyType;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.*;

/** A broker whose waiting messages fill max-memory holds its producers back instead of running out of heap. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackPressureTest {

    @TempDir
    Path data;
    private RawBroker fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void sendsWaitWhileMemoryIsFullAndGoOnOnceConsumersDrainIt() throws Exception {
        fixture = new RawBroker(data, "pressure").configure(b -> b.maxMemory(1 << 20).persistence(false));
        fixture.start();
        RawClient producer = fixture.session(1);
        byte[] body = new byte[16 * 1024];
        int answered = 0;
        long held = -1;
        for (int i = 0; i < 200 && held < 0; i++) {
            long corr = producer.nextCorrelation();
            producer.send(new Send(corr, 1, new MessageEncoder().destination(Address.queue("full")).messageId("ID:" + i)
                    .persistent(false).bodyType(BodyType.BYTES).body(body).encode().bytes()));
            Packet response = producer.pollResponse(500);
            if (response == null) {
                held = corr;
            } else {
                assertThat(response).isInstanceOf(Ok.class);
                answered++;
            }
        }
        // about 1 MiB of 16 KiB messages got in; the next send is held, not refused
        assertThat(held).as("a send was held back").isPositive();
        assertThat(answered).isBetween(40, 80);

        RawClient consumer = fixture.session(1);
        consumer.request(id -> new CreateConsumer(id, 1, 1, Address.queue("full"), null, false, null, false, false, 1000));
        Packet late = producer.pollResponse(10_000);
        assertThat(late).isInstanceOf(Ok.class);
        assertThat(((Ok) late).correlationId()).isEqualTo(held);
        int delivered = 0;
        while (consumer.poll(300) != null) {
            delivered++;
        }
        assertThat(delivered).isEqualTo(answered + 1);
    }
}
