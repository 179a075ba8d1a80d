package org.ternmq.broker.persistence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** A store that keeps nothing: every message is lost on restart. For brokers that need no durability. */
public final class MemoryStore implements MessageStore {

    private final AtomicLong ids = new AtomicLong();
    /** Chunks of large bodies: without a journal they can only stand on the heap. */
    private final java.util.Map<Long, byte[]> chunks = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Void> addChunk(long chunkId, long bodyId, int index, byte[] data) {
        chunks.put(chunkId, data);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public byte[] readChunk(long chunkId) {
        return chunks.get(chunkId);
    }

    @Override
    public void deleteChunks(long[] chunkIds, int count) {
        for (int i = 0; i < count; i++) {
            chunks.remove(chunkIds[i]);
        }
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public String fencedReason() {
        return null;
    }

    /** Nothing is durable here, so nothing awaits backups either. */
    @Override
    public String backupShortage() {
        return null;
    }

    @Override
    public long nextId() {
        return ids.incrementAndGet();
    }

    @Override
    public long nextIds(int count) {
        return ids.addAndGet(count) - count + 1;
    }

    @Override
    public StoredRef readRef(long refId) {
        return null;
    }

    @Override
    public RetainedRecord readRetained(long recordId) {
        return null;
    }

    @Override
    public StoreBatch batch() {
        return NothingBatch.INSTANCE;
    }

    @Override
    public CompletableFuture<Void> commitPrepared(long txId, boolean awaitBackups) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> rollbackPrepared(long txId, boolean awaitBackups) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void load(StoreLoader loader) {
    }

    @Override
    public void close() {
    }

    private enum NothingBatch implements StoreBatch {
        INSTANCE;

        @Override
        public void addQueue(QueueRecord queue) {
        }

        @Override
        public void removeQueue(long queueId) {
        }

        @Override
        public void addMessage(long messageId, byte[] encoded) {
        }

        @Override
        public void removeMessage(long messageId) {
        }

        @Override
        public void addRef(RefRecord ref) {
        }

        @Override
        public void updateRef(RefRecord ref) {
        }

        @Override
        public void removeRef(long refId) {
        }

        @Override
        public void addQueuedMessage(long id, long queueId, long sequence, int deliveryCount, long redeliverAt,
                                     byte[] encoded) {
        }

        @Override
        public boolean updateDelivery(long queuedId, int deliveryCount, int uncharged, long redeliverAt,
                long firstDeliveredAt) {
            return false;
        }

        @Override
        public void removeQueuedMessage(long queuedId, boolean deliveryStored) {
        }

        @Override
        public void addDuplicateId(DuplicateIdRecord record) {
        }

        @Override
        public void removeDuplicateId(long recordId) {
        }

        @Override
        public void addHeuristic(HeuristicRecord record) {
        }

        @Override
        public void removeHeuristic(long recordId) {
        }

        @Override
        public void addRetained(RetainedRecord record) {
        }

        @Override
        public void removeRetained(long recordId) {
        }

        @Override
        public boolean isEmpty() {
            return true;
        }

        @Override
        public CompletableFuture<Long> prepare(byte[] payload) {
            return CompletableFuture.completedFuture(0L);
        }

        @Override
        public CompletableFuture<Void> commit(boolean sync) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
