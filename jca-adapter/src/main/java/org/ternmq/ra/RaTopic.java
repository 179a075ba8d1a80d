package org.ternmq.ra;

import jakarta.jms.Topic;

/** The adapter's administered topic ({@code adminobject} of ra.xml); see {@link RaDestination}. */
public class RaTopic extends RaDestination implements Topic {

    private static final long serialVersionUID = 1L;

    @Override
    public String getTopicName() {
        return getName();
    }
}
