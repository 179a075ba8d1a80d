package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.List;
import org.ternmq.broker.policy.WildcardPattern;

/**
 * A topic: the subscriptions a published message is copied (by reference) into.
 *
 * <p>A topic whose name has a whole word {@code *} or {@code #} ({@code orders.*}, {@code orders.#}) is a
 * <em>wildcard topic</em>: nothing is published to it; its subscriptions receive what is published to every
 * topic its {@link #pattern} matches, in the policy file's wildcard syntax.
 *
 * <p>Owned by the agent thread.
 */
final class BrokerTopic {

    final String name;
    final List<Subscription> subscriptions = new ArrayList<>();
    /** The pattern of a wildcard topic; null for a plain one. */
    final WildcardPattern pattern;
    /** For a plain topic: the wildcard topics matching it, as of {@link #matchesGeneration}. */
    private List<BrokerTopic> wildcardMatches = List.of();
    private int matchesGeneration = -1;

    BrokerTopic(String name) {
        this.name = name;
        this.pattern = isWildcard(name) ? WildcardPattern.parse(name) : null;
    }

    /** Whether {@code name} has a word that is exactly {@code *} or {@code #}. */
    static boolean isWildcard(String name) {
        for (String word : name.split("\\.", -1)) {
            if (word.equals("*") || word.equals("#")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The wildcard topics among {@code all} whose pattern matches this topic's name, computed again only when
     * the set of wildcard topics changed ({@code generation}).
     */
    List<BrokerTopic> wildcardMatches(List<BrokerTopic> all, int generation) {
        if (generation != matchesGeneration) {
            List<BrokerTopic> found = new ArrayList<>();
            for (BrokerTopic w : all) {
                if (w.pattern.matches(name)) {
                    found.add(w);
                }
            }
            wildcardMatches = found;
            matchesGeneration = generation;
        }
        return wildcardMatches;
    }

    @Override
    public String toString() {
        return "BrokerTopic[" + name + ", subscriptions=" + subscriptions.size() + "]";
    }
}
