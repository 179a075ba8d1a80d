package org.ternmq.broker.management;

import java.util.List;
import java.util.Map;
import org.ternmq.broker.core.BrokerStatistics;

/** The JMX bean of one queue or durable subscription; reads recent statistics, acts through management. Thread-safe. */
public final class DestinationControl implements DestinationControlMBean {

    private final BrokerManagement management;
    private final String name;
    private final String kind;

    public DestinationControl(BrokerManagement management, String name, String kind) {
        this.management = management;
        this.name = name;
        this.kind = kind;
    }

    private BrokerStatistics.Destination stats() {
        BrokerStatistics.Destination d = management.recentStatistics().destination(name);
        if (d == null) {
            throw new IllegalStateException(kind + " '" + name + "' no longer exists");
        }
        return d;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getKind() {
        return kind;
    }

    @Override
    public long getMessagesWaiting() {
        return stats().waiting();
    }

    @Override
    public int getMessagesOnHeap() {
        return stats().heap();
    }

    @Override
    public int getMessagesPaged() {
        return stats().paged();
    }

    @Override
    public int getMessagesInFlight() {
        return stats().inFlight();
    }

    @Override
    public int getMessagesScheduled() {
        return stats().scheduled();
    }

    @Override
    public int getConsumers() {
        return stats().consumers();
    }

    @Override
    public int getProducers() {
        return stats().producers();
    }

    @Override
    public boolean isPaused() {
        return stats().paused();
    }

    @Override
    public long getMessagesEnqueued() {
        return stats().enqueued();
    }

    @Override
    public long getMessagesDelivered() {
        return stats().delivered();
    }

    @Override
    public long getMessagesAcknowledged() {
        return stats().acknowledged();
    }

    @Override
    public long getMessagesRedelivered() {
        return stats().redelivered();
    }

    @Override
    public long getMessagesDeadLettered() {
        return stats().deadLettered();
    }

    @Override
    public long getMessagesExpired() {
        return stats().expired();
    }

    @Override
    public long getDuplicatesDropped() {
        return stats().duplicatesDropped();
    }

    @Override
    public String[] browse(int max) {
        List<Map<String, Object>> views = management.browse(name, null, 0, Math.max(0, max));
        return views.stream().map(v -> v.get("messageId") + "  priority " + v.get("priority") + "  " + v.get("bodyType")
                + "  " + v.get("properties") + "  " + v.get("body")).toArray(String[]::new);
    }

    @Override
    public int moveMessages(String toQueue, String selector) {
        return management.moveMessages(name, blankToNull(toQueue), blankToNull(selector));
    }

    @Override
    public int purge(String selector) {
        return management.purge(name, blankToNull(selector));
    }

    @Override
    public void pauseDelivery() {
        management.setPaused(name, true);
    }

    @Override
    public void resumeDelivery() {
        management.setPaused(name, false);
    }

    @Override
    public String delete() {
        return kind.equals("queue") ? management.deleteQueue(name) : management.deleteSubscription(name);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
