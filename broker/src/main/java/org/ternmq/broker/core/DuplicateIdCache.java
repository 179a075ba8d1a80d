package org.ternmq.broker.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The duplicate ids one destination has seen recently, bounded by age and by count: an id older than the
 * window, or pushed out by newer ones, is forgotten (and its store record with it). Owned by the agent
 * thread.
 */
final class DuplicateIdCache {

    /** When an id was seen, and the id of its store record (0 when not stored). */
    private record Seen(long at, long recordId) {
    }

    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

    /** Whether {@code id} was seen within the window; forgets what fell out of the window first. */
    boolean contains(String id, long now, long windowMillis, int windowCount, LongConsumer forgotten) {
        evict(now, windowMillis, windowCount, forgotten);
        return seen.containsKey(id);
    }

    /** Records a new id; the oldest is forgotten when the count window is full. */
    void add(String id, long now, long recordId, int windowCount, LongConsumer forgotten) {
        seen.put(id, new Seen(now, recordId));
        while (seen.size() > windowCount) {
            Iterator<Seen> oldest = seen.values().iterator();
            forget(oldest.next(), forgotten);
            oldest.remove();
        }
    }

    /** Restores an id recorded before a restart. */
    void restore(String id, long seenAt, long recordId) {
        seen.put(id, new Seen(seenAt, recordId));
    }

    private void evict(long now, long windowMillis, int windowCount, LongConsumer forgotten) {
        for (Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            Seen s = it.next().getValue();
            if (now - s.at() < windowMillis && seen.size() <= windowCount) {
                break;
            }
            forget(s, forgotten);
            it.remove();
        }
    }

    private static void forget(Seen s, LongConsumer forgotten) {
        if (s.recordId() != 0) {
            forgotten.accept(s.recordId());
        }
    }
}
