package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The broker evaluates selectors for every message on its delivery path, so evaluation without
 * arithmetic must not allocate. Measured with the JVM's per-thread allocation counter.
 */
class EvaluationAllocationTest {

    @Test
    void comparisonsLikeInBetweenAndLogicAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = threadBean();
        Selector selector = Selector.parse("JMSPriority >= 4 AND region IN ('eu', 'us', 'ap') AND name LIKE 'ord%_x'"
                + " AND size BETWEEN 1 AND 1000 AND NOT (flag = FALSE) AND absent IS NULL AND price > 9.5"
                + " AND region <> 'cn' OR other");
        PropertiesContext message = PropertiesContext.of("JMSPriority", 7, "region", "us", "name", "order-42x",
                "size", 200L, "flag", true, "price", 10.25);
        assertThat(selector.matches(message)).isTrue();
        for (int i = 0; i < 10_000; i++) {
            selector.matches(message); // warm up, so class loading or JIT work is not counted
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        boolean all = true;
        for (int i = 0; i < 10_000; i++) {
            all &= selector.matches(message);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(all).isTrue();
        // A single boxed value per evaluation would be 160 KB; allow for the measurement itself.
        assertThat(allocated).isLessThan(4_096);
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counter not available");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "allocation counter not enabled");
        return threads;
    }
}
