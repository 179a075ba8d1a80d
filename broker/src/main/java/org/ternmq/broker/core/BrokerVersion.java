package org.ternmq.broker.core;

/** The broker's version, as told to clients. */
public final class BrokerVersion {
    public static final String VERSION = "0.1.0";

    private BrokerVersion() {
    }
}
