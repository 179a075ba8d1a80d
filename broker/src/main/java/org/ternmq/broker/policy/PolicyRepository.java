package org.ternmq.broker.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the policy of a destination from the configured patterns: each setting takes its value from
 * the most specific pattern that matches the destination's name and sets it, else its default. Results
 * are cached per name. Built once at start-up; {@link #policyFor} is called on the agent thread only.
 */
public final class PolicyRepository {

    /** One configured block: a pattern and the settings it gives. */
    public record Entry(WildcardPattern pattern, Map<PolicySetting, Object> settings) {
        public Entry {
            settings = Map.copyOf(settings);
        }
    }

    private final List<Entry> mostSpecificFirst;
    private final Map<String, DestinationPolicy> cache = new HashMap<>();

    public PolicyRepository(List<Entry> entries) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> a.pattern().compareTo(b.pattern()));
        this.mostSpecificFirst = List.copyOf(sorted);
    }

    public static PolicyRepository defaults() {
        return new PolicyRepository(List.of());
    }

    public List<Entry> entries() {
        return mostSpecificFirst;
    }

    public DestinationPolicy policyFor(String destinationName) {
        return cache.computeIfAbsent(destinationName, this::resolve);
    }

    private DestinationPolicy resolve(String name) {
        Map<PolicySetting, Object> values = new EnumMap<>(PolicySetting.class);
        for (Entry e : mostSpecificFirst) {
            if (e.pattern().matches(name)) {
                e.settings().forEach(values::putIfAbsent);
            }
        }
        return DestinationPolicy.from(values);
    }
}
