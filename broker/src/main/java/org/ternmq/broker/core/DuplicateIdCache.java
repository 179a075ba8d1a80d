package org.ternmq.broker.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The duplicate ids one destination has seen recently, bounded by age and by count: an id older than the
 * window, or pushed out by newer ones, is forgotten. Owned by the agent thread.
 */
final class DuplicateIdCache {

    private final LinkedHashMap<String, Long> seenAt = new LinkedHashMap<>();

    /**
     * Records {@code id} if it is new.
     *
     * @return false when {@code id} was already seen within the window (a duplicate)
     */
    boolean add(String id, long now, long windowMillis, int windowCount) {
        evict(now, windowMillis, windowCount);
        if (seenAt.containsKey(id)) {
            return false;
        }
        seenAt.put(id, now);
        if (seenAt.size() > windowCount) {
            Iterator<String> oldest = seenAt.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Restores an id recorded before a restart. */
    void restore(String id, long seenAtMillis) {
        seenAt.put(id, seenAtMillis);
    }

    boolean contains(String id) {
        return seenAt.containsKey(id);
    }

    private void evict(long now, long windowMillis, int windowCount) {
        for (Iterator<Map.Entry<String, Long>> it = seenAt.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (now - e.getValue() < windowMillis && seenAt.size() <= windowCount) {
                break;
            }
            it.remove();
        }
    }
}
