package org.ternmq.broker.soak;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/**
 * A broker with default settings (sync policy DATA, default destination policies) on a TCP port, in its
 * own JVM, for {@link BacklogSoakTest}: run with a small heap, it reports its start-up (recovery) time
 * and its heap after every garbage collection, and obeys commands on standard input:
 * {@code gc} (collect and print the live heap), {@code stop} (close the broker and exit).
 *
 * <p>Prints {@code STARTED <millis> <port>} once started, {@code LIVE <bytes>} after {@code gc},
 * {@code GCSTATS <max heap after a collection> <longest pause ms> <collections>} after each command.
 * Argument: the data directory.
 */
public final class BacklogBroker {

    private static final AtomicLong MAX_AFTER_GC = new AtomicLong();
    private static final AtomicLong MAX_PAUSE = new AtomicLong();
    private static final AtomicLong COLLECTIONS = new AtomicLong();

    private BacklogBroker() {
    }

    public static void main(String[] args) throws Exception {
        watchCollections();
        long start = System.nanoTime();
        EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().name("backlog").host("127.0.0.1")
                .tcpPort(0).dataDirectory(Path.of(args[0])).build());
        System.out.println("STARTED " + (System.nanoTime() - start) / 1_000_000 + " " + broker.tcpPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("gc")) {
                System.gc();
                System.out.println("LIVE " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            System.out.println("GCSTATS " + MAX_AFTER_GC.get() + " " + MAX_PAUSE.get() + " " + COLLECTIONS.get());
            System.out.flush();
            if (line.equals("stop")) {
                break;
            }
        }
        broker.close();
        System.out.println("STOPPED");
        System.out.flush();
    }

    /** Records the heap in use after each collection (the live set, roughly) and the longest pause. */
    private static void watchCollections() {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (java.util.Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                        used += e.getValue().getUsed();
                    }
                }
                MAX_AFTER_GC.accumulateAndGet(used, Math::max);
                if (!info.getGcAction().contains("concurrent") && !info.getGcName().contains("Concurrent")) {
                    MAX_PAUSE.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
                }
                COLLECTIONS.incrementAndGet();
            }, null, null);
        }
    }
}
