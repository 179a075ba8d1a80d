package org.ternmq.broker.management;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.ternmq.broker.core.BrokerStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a JMX bean registered for each queue and durable subscription in the platform MBean server:
 * {@code org.ternmq:type=Destination,broker=<broker>,kind=queue|subscription,name=<name>}. A daemon thread
 * compares the destinations with the beans every {@code periodMillis} (and {@link #sync} may be called at any
 * time); {@link #close} unregisters them all.
 */
public final class JmxRegistrar implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JmxRegistrar.class);

    private final BrokerManagement management;
    private final String brokerName;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final Map<String, ObjectName> registered = new HashMap<>();
    private final ScheduledExecutorService timer;

    public JmxRegistrar(BrokerManagement management, String brokerName, long periodMillis) {
        this.management = management;
        this.brokerName = brokerName;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-jmx-registrar");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                sync();
            } catch (RuntimeException e) {
                LOG.debug("JMX beans not synchronised: {}", e.toString());
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** The name of the bean of destination {@code name} of {@code kind}. */
    public static ObjectName objectName(String broker, String kind, String name) {
        try {
            return ObjectName.getInstance("org.ternmq:type=Destination,broker=" + ObjectName.quote(broker) + ",kind="
                    + kind + ",name=" + ObjectName.quote(name));
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Registers beans of new destinations and unregisters those of destinations gone. */
    public synchronized void sync() {
        BrokerStatistics s = management.statistics();
        Set<String> seen = new HashSet<>();
        for (BrokerStatistics.Destination d : s.destinations()) {
            seen.add(d.name());
            if (!registered.containsKey(d.name())) {
                ObjectName on = objectName(brokerName, d.type(), d.name());
                try {
                    server.registerMBean(new DestinationControl(management, d.name(), d.type()), on);
                    registered.put(d.name(), on);
                } catch (JMException e) {
                    LOG.debug("could not register {}: {}", on, e.toString());
                }
            }
        }
        for (String name : new HashSet<>(registered.keySet())) {
            if (!seen.contains(name)) {
                unregister(registered.remove(name));
            }
        }
    }

    private void unregister(ObjectName on) {
        try {
            server.unregisterMBean(on);
        } catch (JMException e) {
            LOG.debug("could not unregister {}: {}", on, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        registered.values().forEach(this::unregister);
        registered.clear();
    }
}
