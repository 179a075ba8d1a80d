package org.ternmq.it.app;

/**
 * What the application and the scenarios agree on. The application reaches its resources through the component
 * environment ({@code java:comp/env/...}), which each server's deployment maps to that server's names with a
 * {@code web.xml} ({@link Deployments#webXml}).
 */
public final class Names {

    /** Queue the order MDB consumes. */
    public static final String ORDERS = "it.orders";
    /** Queue the application sends replies and confirmations to. */
    public static final String REPLIES = "it.replies";
    /** Topic the durable MDB subscribes to. */
    public static final String EVENTS = "it.events";
    public static final String DURABLE_CLIENT_ID = "tern-it-app";
    public static final String DURABLE_SUBSCRIPTION = "it-durable";

    /** The Tern connection factory, in the component environment. */
    public static final String CF = "java:comp/env/jms/cf";
    /** The PostgreSQL XA data source, in the component environment. */
    public static final String DS = "java:comp/env/jdbc/ds";

    /** The application's name, as deployed (its WAR's name without ".war"). */
    public static final String APP = "tern-it";
    /** The durable-subscription application, deployed and undeployed by the test. */
    public static final String DURABLE_APP = "tern-it-durable";

    private Names() {
    }
}
