/**
 * Tern's journal: a segmented, preallocated, append-only record store that never loses an
 * acknowledged record. It knows records, not messages.
 *
 * <h2>Model</h2>
 * A record is a 64-bit id with a caller's type byte and a payload. {@link org.ternmq.store.Journal}
 * adds, updates and deletes records, alone or staged in a transaction (a 64-bit tx id) that is then
 * prepared (with the XA Xid's bytes), committed or rolled back. Every write returns a
 * {@code CompletableFuture<Void>} completed when the record is as durable as the
 * {@link org.ternmq.store.SyncPolicy} says; a {@code durable=false} write never waits for a force.
 *
 * <h2>API</h2>
 * <pre>{@code
 * JournalConfig config = JournalConfig.builder(dir).set(JournalConfig.SYNC_POLICY, SyncPolicy.DATA).build();
 * try (Journal journal = Journal.open(config, (id, type, payload) -> index.put(id, ...))) {
 *     journal.add(42, (byte) 1, ByteBuffer.wrap(bytes), true).join();   // durable when it completes
 *     journal.addTx(7, 43, (byte) 1, ByteBuffer.wrap(more));
 *     journal.prepare(7, xidBytes);
 *     journal.commit(7).join();
 *     Optional<JournalRecord> r = journal.read(43);
 *     journal.delete(42, true);
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * One appender thread per journal owns the files and all mutable state; callers on any thread hand
 * it commands through a queue, and it forces once per batch (group commit). {@code read} may be
 * called from any thread. Recovery callbacks run on the thread calling {@code open}.
 *
 * <h2>Failures</h2>
 * Any I/O error fences the journal ({@link org.ternmq.store.Journal#isFenced()}): every pending and
 * later write fails with {@link org.ternmq.store.StoreFencedException}. A directory locked by another
 * process is refused with {@link org.ternmq.store.JournalLockedException}.
 *
 * <p>Sub-packages: {@code format} (on-disk layouts), {@code file} (segment file implementations),
 * {@code index} (the id to location map), {@code tools} (disk probes).
 */
package org.ternmq.store;
