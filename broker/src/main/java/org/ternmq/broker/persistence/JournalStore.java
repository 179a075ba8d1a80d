package org.ternmq.broker.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.ternmq.store.Journal;
import org.ternmq.store.JournalConfig;
import org.ternmq.store.PreparedTransaction;
import org.ternmq.store.RecoveryListener;

/**
 * The broker's store on a {@link Journal}: each {@link StoreBatch} of one change is one record, a batch of
 * several is one journal transaction. Messages are written once and referenced by small REF records, so a
 * message sent to a topic with N durable subscriptions costs one body write and N references.
 *
 * <p>Batches are built and committed on the broker agent thread; the journal's appender thread completes
 * their futures.
 */
public final class JournalStore implements MessageStore {

    private final Journal journal;
    private final AtomicLong ids = new AtomicLong();
    private final List<Recovered> recovered = new ArrayList<>();

    /** A record as recovery found it, replayed to the broker by {@link #load}. */
    private record Recovered(long id, byte type, byte[] payload) {
    }

    private JournalStore(JournalConfig config) throws IOException {
        this.journal = Journal.open(config, new RecoveryListener() {
            @Override
            public void onRecord(long id, byte userType, ByteBuffer payload) {
                ids.accumulateAndGet(id, Math::max);
                if (userType == StoreRecordDescriptor.MESSAGE) {
                    recovered.add(new Recovered(id, userType, null)); // read lazily at load
                } else {
                    byte[] copy = new byte[payload.remaining()];
                    payload.duplicate().get(copy);
                    recovered.add(new Recovered(id, userType, copy));
                }
            }

            @Override
            public void onPreparedTransaction(PreparedTransaction transaction) {
                ids.accumulateAndGet(transaction.txId(), Math::max);
            }
        });
    }

    /** Opens (and recovers) the journal; the broker then calls {@link #load}. */
    public static JournalStore open(JournalConfig config) throws IOException {
        return new JournalStore(config);
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public String fencedReason() {
        return journal.isFenced() ? "the journal in " + journal.config().directory() + " is fenced after an I/O error" : null;
    }

    @Override
    public long nextId() {
        return ids.incrementAndGet();
    }

    @Override
    public void load(StoreLoader loader) {
        for (byte type : new byte[] {StoreRecordDescriptor.QUEUE, StoreRecordDescriptor.MESSAGE,
                StoreRecordDescriptor.REF, StoreRecordDescriptor.DUPLICATE}) {
            for (Recovered r : recovered) {
                if (r.type() != type) {
                    continue;
                }
                switch (type) {
                    case StoreRecordDescriptor.QUEUE ->
                            loader.queue(StoreRecordDescriptor.decodeQueue(r.id(), ByteBuffer.wrap(r.payload())));
                    case StoreRecordDescriptor.MESSAGE -> journal.read(r.id()).ifPresent(rec -> {
                        ByteBuffer p = rec.payload();
                        byte[] bytes = new byte[p.remaining()];
                        p.duplicate().get(bytes);
                        loader.message(r.id(), bytes);
                    });
                    case StoreRecordDescriptor.REF ->
                            loader.ref(StoreRecordDescriptor.decodeRef(r.id(), ByteBuffer.wrap(r.payload())));
                    default ->
                            loader.duplicateId(StoreRecordDescriptor.decodeDuplicate(r.id(), ByteBuffer.wrap(r.payload())));
                }
            }
        }
        recovered.clear();
    }

    @Override
    public StoreBatch batch() {
        return new JournalBatch();
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The changes of one batch, written when committed. */
    private final class JournalBatch implements StoreBatch {

        private record Change(long id, byte type, ByteBuffer payload, boolean update) {
            boolean delete() {
                return payload == null;
            }
        }

        private final List<Change> changes = new ArrayList<>(4);

        @Override
        public void addQueue(QueueRecord queue) {
            changes.add(new Change(queue.id(), StoreRecordDescriptor.QUEUE, StoreRecordDescriptor.encode(queue), false));
        }

        @Override
        public void removeQueue(long queueId) {
            changes.add(new Change(queueId, (byte) 0, null, false));
        }

        @Override
        public void addMessage(long messageId, byte[] encoded) {
            changes.add(new Change(messageId, StoreRecordDescriptor.MESSAGE, ByteBuffer.wrap(encoded), false));
        }

        @Override
        public void removeMessage(long messageId) {
            changes.add(new Change(messageId, (byte) 0, null, false));
        }

        @Override
        public void addRef(RefRecord ref) {
            changes.add(new Change(ref.id(), StoreRecordDescriptor.REF, StoreRecordDescriptor.encode(ref), false));
        }

        @Override
        public void updateRef(RefRecord ref) {
            changes.add(new Change(ref.id(), StoreRecordDescriptor.REF, StoreRecordDescriptor.encode(ref), true));
        }

        @Override
        public void removeRef(long refId) {
            changes.add(new Change(refId, (byte) 0, null, false));
        }

        @Override
        public void addDuplicateId(DuplicateIdRecord record) {
            changes.add(new Change(record.id(), StoreRecordDescriptor.DUPLICATE, StoreRecordDescriptor.encode(record), false));
        }

        @Override
        public void removeDuplicateId(long recordId) {
            changes.add(new Change(recordId, (byte) 0, null, false));
        }

        @Override
        public boolean isEmpty() {
            return changes.isEmpty();
        }

        @Override
        public CompletableFuture<Void> commit(boolean sync) {
            if (changes.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            if (changes.size() == 1) {
                Change c = changes.get(0);
                if (c.delete()) {
                    return journal.delete(c.id(), sync);
                }
                return c.update() ? journal.update(c.id(), c.type(), c.payload(), sync)
                        : journal.add(c.id(), c.type(), c.payload(), sync);
            }
            long txId = nextId();
            for (Change c : changes) {
                if (c.delete()) {
                    journal.deleteTx(txId, c.id());
                } else if (c.update()) {
                    journal.updateTx(txId, c.id(), c.type(), c.payload());
                } else {
                    journal.addTx(txId, c.id(), c.type(), c.payload());
                }
            }
            return journal.commit(txId);
        }
    }
}
