package org.ternmq.ra;

import jakarta.jms.Queue;

/** The adapter's administered queue ({@code adminobject} of ra.xml); see {@link RaDestination}. */
public class RaQueue extends RaDestination implements Queue {

    private static final long serialVersionUID = 1L;

    @Override
    public String getQueueName() {
        return getName();
    }
}
