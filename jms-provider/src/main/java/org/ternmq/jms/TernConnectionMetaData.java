package org.ternmq.jms;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.jms.ConnectionMetaData;

/** What {@code Connection.getMetaData()} reports. Immutable. */
public final class TernConnectionMetaData implements ConnectionMetaData {

    public static final String PROVIDER_NAME = "Tern";
    public static final String PROVIDER_VERSION = "0.1.0";

    /** The JMSX properties Tern supports: the delivery count it sets, and the group properties it routes by. */
    private static final List<String> JMSX_PROPERTIES = List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq");

    static final TernConnectionMetaData INSTANCE = new TernConnectionMetaData();

    private TernConnectionMetaData() {
    }

    @Override
    public String getJMSVersion() {
        return "3.1";
    }

    @Override
    public int getJMSMajorVersion() {
        return 3;
    }

    @Override
    public int getJMSMinorVersion() {
        return 1;
    }

    @Override
    public String getJMSProviderName() {
        return PROVIDER_NAME;
    }

    @Override
    public String getProviderVersion() {
        return PROVIDER_VERSION;
    }

    @Override
    public int getProviderMajorVersion() {
        return 0;
    }

    @Override
    public int getProviderMinorVersion() {
        return 1;
    }

    @Override
    public Enumeration<String> getJMSXPropertyNames() {
        return Collections.enumeration(JMSX_PROPERTIES);
    }
}
