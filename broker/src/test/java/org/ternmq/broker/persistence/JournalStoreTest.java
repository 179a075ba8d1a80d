package org.ternmq.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.store.Journal;
import org.ternmq.store.JournalConfig;

/**
 * The journal store's records for paging: a message of one queue is one QUEUED record with its delivery
 * state apart, a shared message is one MESSAGE with REF records; loading reads no body, gives each queue
 * its refs in arrival order and cleans up what a crash left behind; {@link JournalStore#readRef} reads a
 * ref back whole.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalStoreTest {

    @TempDir
    Path dir;

    private JournalConfig config() {
        return JournalConfig.builder(dir).set(JournalConfig.SEGMENT_SIZE, 1 << 20)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 64 << 10).build();
    }

    /** Everything a load hands over. */
    private static final class Loaded implements StoreLoader {
        final List<QueueRecord> queues = new ArrayList<>();
        final Map<Long, Integer> shared = new HashMap<>();
        final Map<Long, long[]> refs = new LinkedHashMap<>();
        long lastSequence;

        @Override
        public void queue(QueueRecord queue) {
            queues.add(queue);
        }

        @Override
        public void sharedMessage(long messageId, int count) {
            shared.put(messageId, count);
        }

        @Override
        public void refs(long queueId, long[] refIds, int count) {
            refs.put(queueId, java.util.Arrays.copyOf(refIds, count));
        }

        @Override
        public void lastSequence(long sequence) {
            lastSequence = sequence;
        }

        final List<PreparedBranch> prepared = new ArrayList<>();
        final List<HeuristicRecord> heuristics = new ArrayList<>();

        @Override
        public void duplicateId(DuplicateIdRecord record) {
        }

        @Override
        public void heuristic(HeuristicRecord record) {
            heuristics.add(record);
        }

        @Override
        public void preparedBranch(PreparedBranch branch) {
            prepared.add(branch);
        }
    }

    private static byte[] body(int n) {
        byte[] b = new byte[100 + n];
        b[0] = (byte) n;
        return b;
    }

    @Test
    void queuedAndSharedMessagesComeBackInArrivalOrderWithTheirDeliveryState() throws Exception {
        long q1;
        long q2;
        long first;
        long second;
        long message;
        long refA;
        long refB;
        try (JournalStore store = JournalStore.open(config())) {
            store.load(new Loaded());
            q1 = store.nextId();
            q2 = store.nextId();
            StoreBatch b = store.batch();
            b.addQueue(QueueRecord.queue(q1, "one"));
            b.addQueue(QueueRecord.queue(q2, "two"));
            b.commit(true).join();
            second = store.nextIds(2);
            first = store.nextIds(2);
            b = store.batch(); // the later id arrived first: order comes from the sequence, not the id
            b.addQueuedMessage(first, q1, 10, 0, 0, body(1));
            b.addQueuedMessage(second, q1, 11, 0, 0, body(2));
            message = store.nextId();
            refA = store.nextId();
            refB = store.nextId();
            b.addMessage(message, body(3));
            b.addRef(new RefRecord(refA, message, q1, 12, 0, 0, 0, 0));
            b.addRef(new RefRecord(refB, message, q2, 12, 2, 0, 0, 4242));
            b.commit(true).join();
            b = store.batch();
            b.updateDelivery(second, 3, 0, 777, 555);
            b.commit(true).join();
            assertThat(store.readRef(second).deliveryCount()).isEqualTo(3);
        }
        try (JournalStore store = JournalStore.open(config())) {
            Loaded loaded = new Loaded();
            store.load(loaded);
            assertThat(loaded.queues).extracting(QueueRecord::name).containsExactlyInAnyOrder("one", "two");
            assertThat(loaded.refs.get(q1)).containsExactly(first, second, refA);
            assertThat(loaded.refs.get(q2)).containsExactly(refB);
            assertThat(loaded.shared).containsExactly(Map.entry(message, 2));
            assertThat(loaded.lastSequence).isEqualTo(12);

            StoredRef a = store.readRef(first);
            assertThat(a.shared()).isFalse();
            assertThat(a.deliveryStored()).isFalse();
            assertThat(a.queueId()).isEqualTo(q1);
            assertThat(a.sequence()).isEqualTo(10);
            assertThat(a.message()).isEqualTo(body(1));
            StoredRef b = store.readRef(second);
            assertThat(b.deliveryStored()).isTrue();
            assertThat(b.deliveryCount()).isEqualTo(3);
            assertThat(b.redeliverAt()).isEqualTo(777);
            assertThat(b.firstDeliveredAt()).isEqualTo(555);
            StoredRef c = store.readRef(refB);
            assertThat(c.shared()).isTrue();
            assertThat(c.messageId()).isEqualTo(message);
            assertThat(c.queueId()).isEqualTo(q2);
            assertThat(c.deliveryCount()).isEqualTo(2);
            assertThat(c.firstDeliveredAt()).isEqualTo(4242);
            assertThat(c.message()).isEqualTo(body(3));
            assertThat(store.readRef(12345)).isNull();

            StoreBatch remove = store.batch();
            remove.removeQueuedMessage(second, true);
            remove.commit(true).join();
            assertThat(store.readRef(second)).isNull();
        }
    }

    /**
     * How many deliveries came back uncharged (the broker refused their transaction's commit) is stored with the
     * delivery count, in a DELIVERY record and in a REF record alike, and read back after a restart, alone and in a
     * read-ahead; a record written without it reads as none.
     */
    /**
     * The agent writes a batch itself ({@link MessageStore#holdWrites}, {@link MessageStore#writeHere}) until one such
     * write is slow (a slow force): for a while after it the journal's writer takes every batch, so a slow disk does
     * not hold the agent (every connection) back.
     */
    @Test
    void aSlowWriteOnTheAgentsThreadLeavesTheNextOnesToTheJournalsWriter() throws Exception {
        try (JournalStore store = JournalStore.open(config())) {
            store.load(new Loaded());
            long q = store.nextId();
            store.slowWrites(Long.MAX_VALUE, TimeUnit.MINUTES.toNanos(1)); // nothing is slow
            CompletableFuture<Void> here = null;
            for (int i = 0; i < 100 && store.journalStats().callerBatches() == 0; i++) {
                // the journal's writer may hold the journal a moment longer after its own batch: then it writes ours
                long id = store.nextIds(2);
                here = writtenHere(store, b -> b.addQueuedMessage(id, q, id, 0, 0, body(1)));
            }
            assertThat(store.journalStats().callerBatches()).as("a batch written on the caller's thread").isEqualTo(1);
            assertThat(here).as("written and forced before writeHere returned").isDone();
            store.slowWrites(0, TimeUnit.MINUTES.toNanos(1)); // every write here is slow from now on
            long batches = store.journalStats().callerBatches();
            for (int i = 0; i < 100 && store.journalStats().callerBatches() == batches; i++) {
                long id = store.nextIds(2);
                writtenHere(store, b -> b.addQueuedMessage(id, q, id, 0, 0, body(2)));
            }
            assertThat(store.journalStats().callerBatches()).as("the slow one").isEqualTo(batches + 1);
            long id = store.nextIds(2);
            writtenHere(store, b -> b.addQueuedMessage(id, q, id, 0, 0, body(3))).get(10, TimeUnit.SECONDS);
            assertThat(store.journalStats().callerBatches()).as("after a slow one: the journal's writer")
                    .isEqualTo(batches + 1);
        }
    }

    private static CompletableFuture<Void> writtenHere(JournalStore store,
            java.util.function.Consumer<StoreBatch> changes) {
        store.holdWrites();
        StoreBatch b = store.batch();
        changes.accept(b);
        CompletableFuture<Void> done = b.commit(true);
        store.writeHere();
        return done;
    }

    @Test
    void unchargedDeliveriesOutliveARestart() throws Exception {
        long q;
        long queued;
        long plain;
        long message;
        long ref;
        try (JournalStore store = JournalStore.open(config())) {
            store.load(new Loaded());
            q = store.nextId();
            StoreBatch b = store.batch();
            b.addQueue(QueueRecord.queue(q, "one"));
            queued = store.nextIds(2);
            plain = store.nextIds(2);
            b.addQueuedMessage(queued, q, 1, 0, 0, body(1));
            b.addQueuedMessage(plain, q, 2, 0, 0, body(2));
            message = store.nextId();
            ref = store.nextId();
            b.addMessage(message, body(3));
            b.addRef(new RefRecord(ref, message, q, 3, 0, 0, 0, 0));
            b.commit(true).join();
            b = store.batch();
            b.updateDelivery(queued, 7, 6, 0, 100);
            b.updateDelivery(plain, 2, 0, 0, 100);
            b.updateRef(new RefRecord(ref, message, q, 3, 5, 4, 0, 100));
            b.commit(true).join();
        }
        try (JournalStore store = JournalStore.open(config())) {
            store.load(new Loaded());
            StoredRef a = store.readRef(queued);
            assertThat(a.deliveryCount()).isEqualTo(7);
            assertThat(a.uncharged()).isEqualTo(6);
            assertThat(a.firstDeliveredAt()).isEqualTo(100);
            assertThat(store.readRef(plain).uncharged()).isZero();
            StoredRef r = store.readRef(ref);
            assertThat(r.deliveryCount()).isEqualTo(5);
            assertThat(r.uncharged()).isEqualTo(4);
            assertThat(r.firstDeliveredAt()).isEqualTo(100);
            assertThat(store.readRefs(new long[] {queued, plain, ref})).extracting(StoredRef::uncharged)
                    .containsExactly(6, 0, 4);
        }
    }

    /**
     * A first delivery in the batch that stores the message goes into the message's own record (QUEUED_DELIVERED):
     * one frame for store-and-deliver, one plain delete for the acknowledgement, and the state outlives a restart.
     */
    @Test
    void aFirstDeliveryInTheStoringBatchTravelsInTheMessagesOwnRecord() throws Exception {
        long queue;
        long id;
        long other;
        try (JournalStore store = JournalStore.open(config())) {
            store.load(new Loaded());
            queue = store.nextId();
            StoreBatch b = store.batch();
            b.addQueue(QueueRecord.queue(queue, "q"));
            b.commit(true).join();
            id = store.nextIds(2);
            other = store.nextIds(2);
            long appends = store.journalStats().appends();
            b = store.batch();
            b.addQueuedMessage(id, queue, 1, 0, 0, body(1));
            assertThat(b.updateDelivery(id, 1, 0, 0, 9001)).as("stored apart").isFalse();
            b.commit(true).join();
            assertThat(store.journalStats().appends() - appends).as("frames to store and deliver").isEqualTo(1);
            StoredRef r = store.readRef(id);
            assertThat(r.deliveryCount()).isEqualTo(1);
            assertThat(r.firstDeliveredAt()).isEqualTo(9001);
            assertThat(r.deliveryStored()).isFalse();
            assertThat(r.message()).isEqualTo(body(1));
            b = store.batch();
            b.addQueuedMessage(other, queue, 2, 0, 0, body(2));
            b.commit(true).join();
            b = store.batch(); // delivered in a later task: a delivery record of its own
            assertThat(b.updateDelivery(other, 1, 0, 0, 9002)).as("stored apart").isTrue();
            b.commit(true).join();
        }
        try (JournalStore store = JournalStore.open(config())) {
            Loaded loaded = new Loaded();
            store.load(loaded);
            assertThat(loaded.refs.get(queue)).containsExactly(id, other);
            StoredRef r = store.readRefs(new long[] {id})[0];
            assertThat(r.deliveryCount()).isEqualTo(1);
            assertThat(r.firstDeliveredAt()).isEqualTo(9001);
            assertThat(r.deliveryStored()).isFalse();
            assertThat(r.message()).isEqualTo(body(1));
            StoreBatch b = store.batch(); // a redelivery after the restart: the delivery record overrides the record's
            assertThat(b.updateDelivery(id, 2, 0, 0, 9001)).isTrue();
            b.commit(true).join();
            assertThat(store.readRef(id).deliveryCount()).isEqualTo(2);
            assertThat(store.readRef(id).deliveryStored()).isTrue();
            settle(store);
            long appends = store.journalStats().appends();
            b = store.batch();
            b.removeQueuedMessage(other, true);
            b.commit(false).join();
            assertThat(store.journalStats().appends() - appends).as("frames to remove a message and its delivery record")
                    .isEqualTo(2);
            assertThat(store.readRef(other)).isNull();
        }
        try (JournalStore store = JournalStore.open(config())) {
            Loaded loaded = new Loaded();
            store.load(loaded);
            assertThat(loaded.refs.get(queue)).containsExactly(id);
            assertThat(store.readRef(id).deliveryCount()).isEqualTo(2);
            settle(store);
            long appends = store.journalStats().appends();
            StoreBatch b = store.batch();
            b.removeQueuedMessage(id, true);
            b.commit(true).join();
            assertThat(store.journalStats().appends() - appends).isEqualTo(2);
        }
        Map<Byte, Integer> records = new HashMap<>();
        try (Journal journal = Journal.open(config(), (long rid, byte type, ByteBuffer p) -> records.merge(type, 1, Integer::sum))) {
            assertThat(journal.isFenced()).isFalse();
        }
        assertThat(records).containsExactlyEntriesOf(Map.of(StoreRecordDescriptor.QUEUE, 1));
    }

    /**
     * Waits until the journal wrote what was queued before (the id reservation an open queues, the deletes a load
     * queues): a delete of an absent record writes nothing and completes after them.
     */
    private static void settle(JournalStore store) {
        StoreBatch b = store.batch();
        b.removeMessage(Long.MAX_VALUE);
        b.commit(true).join();
    }

    /**
     * A message and its delivery record are deleted one after the other, without a transaction: a crash between
     * the two leaves the delivery record alone, which loading deletes (never the message without its count).
     */
    @Test
    void aDeliveryRecordLeftByACrashBetweenTheTwoDeletesIsDeletedAtLoad() throws Exception {
        long queue;
        long id;
        try (JournalStore store = JournalStore.open(config())) {
            store.load(new Loaded());
            queue = store.nextId();
            id = store.nextIds(2);
            StoreBatch b = store.batch();
            b.addQueue(QueueRecord.queue(queue, "q"));
            b.addQueuedMessage(id, queue, 1, 0, 0, body(1));
            b.commit(true).join();
            b = store.batch();
            b.updateDelivery(id, 1, 0, 0, 5);
            b.commit(true).join();
        }
        try (Journal journal = Journal.open(config(), (long rid, byte type, ByteBuffer p) -> { })) {
            journal.delete(id, true).join(); // the first of the two deletes, then the crash
        }
        try (JournalStore store = JournalStore.open(config())) {
            Loaded loaded = new Loaded();
            store.load(loaded);
            assertThat(loaded.refs.getOrDefault(queue, new long[0])).isEmpty();
        }
        Map<Byte, Integer> records = new HashMap<>();
        try (Journal journal = Journal.open(config(), (long rid, byte type, ByteBuffer p) -> records.merge(type, 1, Integer::sum))) {
            assertThat(journal.isFenced()).isFalse();
        }
        assertThat(records).containsExactlyEntriesOf(Map.of(StoreRecordDescriptor.QUEUE, 1));
    }

    @Test
    void aLoadDeletesWhatACrashLeftWithoutItsQueueOrReferences() throws Exception {
        long kept;
        long gone;
        long keptRef;
        try (JournalStore store = JournalStore.open(config())) {
            store.load(new Loaded());
            kept = store.nextId();
            gone = store.nextId();
            StoreBatch b = store.batch();
            b.addQueue(QueueRecord.queue(kept, "kept"));
            keptRef = store.nextIds(2);
            b.addQueuedMessage(keptRef, kept, 1, 0, 0, body(1));
            long orphan = store.nextIds(2);
            b.addQueuedMessage(orphan, gone, 2, 0, 0, body(2)); // its queue was deleted before the crash
            long lonely = store.nextId();
            b.addMessage(lonely, body(3)); // a shared message whose refs are all gone
            long dangling = store.nextId();
            b.addRef(new RefRecord(dangling, store.nextId(), gone, 3, 0, 0, 0, 0));
            b.commit(true).join();
            b = store.batch(); // delivered later: a DELIVERY record of its own, which goes with the orphan
            b.updateDelivery(orphan, 1, 0, 0, 1);
            b.commit(true).join();
        }
        try (JournalStore store = JournalStore.open(config())) {
            Loaded loaded = new Loaded();
            store.load(loaded);
            assertThat(loaded.refs).containsOnlyKeys(kept);
            assertThat(loaded.shared).isEmpty();
        }
        Map<Byte, Integer> records = new HashMap<>();
        try (Journal journal = Journal.open(config(), (long id, byte type, ByteBuffer p) -> records.merge(type, 1, Integer::sum))) {
            assertThat(journal.isFenced()).isFalse();
        }
        assertThat(records).containsExactlyInAnyOrderEntriesOf(Map.of(StoreRecordDescriptor.QUEUE, 1,
                StoreRecordDescriptor.QUEUED, 1));
    }

    /**
     * Issue 7 at the store level: a QUEUED record reserves the next id for its delivery state. After a
     * restart, the first new id must not be that reserved one (nor any other id handed out before), or
     * the old message's delivery record overwrites the new message.
     */
    @Test
    void idsHandedOutBeforeARestartAreNeverHandedOutAgain() throws Exception {
        long queue;
        long a;
        try (JournalStore store = JournalStore.open(config())) {
            store.load(new Loaded());
            queue = store.nextId();
            StoreBatch b = store.batch();
            b.addQueue(QueueRecord.queue(queue, "qa"));
            a = store.nextIds(2);
            b.addQueuedMessage(a, queue, 1, 0, 0, body(1));
            b.commit(true).join();
        }
        long b;
        try (JournalStore store = JournalStore.open(config())) {
            store.load(new Loaded());
            b = store.nextIds(2);
            assertThat(b).as("first id after the restart").isGreaterThan(a + 1);
            StoreBatch batch = store.batch();
            batch.addQueuedMessage(b, queue, 2, 0, 0, body(2));
            batch.commit(true).join();
            batch = store.batch(); // A is delivered, then acknowledged, as in the issue
            batch.updateDelivery(a, 1, 0, 0, 1);
            batch.commit(true).join();
            batch = store.batch();
            batch.removeQueuedMessage(a, true);
            batch.commit(true).join();
        }
        try (JournalStore store = JournalStore.open(config())) {
            Loaded loaded = new Loaded();
            store.load(loaded);
            assertThat(loaded.refs.get(queue)).containsExactly(b);
            assertThat(store.readRef(b).message()).isEqualTo(body(2));
            assertThat(store.nextId()).isGreaterThan(b + 1);
        }
    }
}
