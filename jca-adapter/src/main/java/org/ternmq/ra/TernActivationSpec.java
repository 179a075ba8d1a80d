package org.ternmq.ra;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;

import org.ternmq.selector.Selector;
import org.ternmq.selector.SelectorSyntaxException;

/**
 * How a message-driven bean consumes: the eight activation properties Jakarta Messaging standardises
 * ({@code destinationLookup}, {@code connectionFactoryLookup}, {@code destinationType}, {@code messageSelector},
 * {@code acknowledgeMode}, {@code subscriptionDurability}, {@code subscriptionName}, {@code clientId}) and Tern's:
 * {@code destination} (the broker's name for it, instead of a lookup), {@code shareSubscriptions}, {@code maxSession}
 * (concurrent deliveries), {@code user}/{@code password}, {@code connectionUrl}, {@code reconnectAttempts} and
 * {@code reconnectInterval}. {@link #validate()} names every problem at once.
 */
public class TernActivationSpec implements ActivationSpec, ResourceAdapterAssociation, Serializable {

    private static final long serialVersionUID = 1L;

    static final String QUEUE = "jakarta.jms.Queue";
    static final String TOPIC = "jakarta.jms.Topic";
    static final String AUTO = "Auto-acknowledge";
    static final String DUPS_OK = "Dups-ok-acknowledge";
    static final String DURABLE = "Durable";
    static final String NON_DURABLE = "NonDurable";

    private String destinationLookup;
    private String connectionFactoryLookup;
    private String destination;
    private String destinationType;
    private String messageSelector;
    private String acknowledgeMode = AUTO;
    private String subscriptionDurability = NON_DURABLE;
    private String subscriptionName;
    private String clientId;
    private Boolean shareSubscriptions = false;
    /** Unset: {@link #DEFAULT_MAX_SESSION}, or 1 for an unshared topic subscription (which has one consumer). */
    private Integer maxSession;
    private String user;
    private String password;
    private String connectionUrl;
    private Integer reconnectAttempts;
    private Long reconnectInterval;
    private transient ResourceAdapter adapter;

    /**
     * @throws InvalidPropertyException naming every property that is missing or wrong, each with why
     */
    @Override
    public void validate() throws InvalidPropertyException {
        List<String> problems = new ArrayList<>();
        if (blank(destination) && blank(destinationLookup)) {
            problems.add("destination or destinationLookup: one of them must name the queue or topic to consume from");
        }
        String type = destinationType();
        if (type == null) {
            problems.add("destinationType: must be jakarta.jms.Queue or jakarta.jms.Topic, was '" + destinationType + "'");
        }
        if (!AUTO.equalsIgnoreCase(trim(acknowledgeMode)) && !DUPS_OK.equalsIgnoreCase(trim(acknowledgeMode))) {
            problems.add("acknowledgeMode: must be Auto-acknowledge or Dups-ok-acknowledge, was '" + acknowledgeMode + "'");
        }
        boolean durable = DURABLE.equalsIgnoreCase(trim(subscriptionDurability));
        if (!durable && !NON_DURABLE.equalsIgnoreCase(trim(subscriptionDurability))) {
            problems.add("subscriptionDurability: must be Durable or NonDurable, was '" + subscriptionDurability + "'");
        }
        // a durable subscription without a client id (here, on the adapter or on the factory named by
        // connectionFactoryLookup) is a shared one: see TernEndpointActivation
        if (durable && blank(subscriptionName)) {
            problems.add("subscriptionName: a durable subscription needs a name");
        }
        if (shares() && blank(subscriptionName)) {
            problems.add("subscriptionName: a shared subscription needs a name");
        }
        if (maxSession != null && maxSession < 1) {
            problems.add("maxSession: must be at least 1, was " + maxSession);
        }
        if (type != null && !type.isEmpty() || !blank(destination)) {
            try {
                validateFor(TOPIC.equals(type));
            } catch (InvalidPropertyException e) {
                problems.add(e.getMessage().substring("invalid Tern activation: ".length()));
            }
        }
        if (!blank(messageSelector)) {
            try {
                Selector.parse(messageSelector);
            } catch (SelectorSyntaxException e) {
                problems.add("messageSelector: " + e.getMessage());
            }
        }
        if (reconnectAttempts != null && reconnectAttempts < -1) {
            problems.add("reconnectAttempts: must be -1 (for ever) or more, was " + reconnectAttempts);
        }
        if (reconnectInterval != null && reconnectInterval < 0) {
            problems.add("reconnectInterval: must be 0 or more milliseconds, was " + reconnectInterval);
        }
        if (!blank(connectionUrl)) {
            String problem = new ConnectionSettings(connectionUrl, null, null, null).urlProblem();
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPropertyException("invalid Tern activation: " + String.join("; ", problems));
        }
    }

    /**
     * The checks that depend on whether the destination is a topic, once that is known (a looked-up destination
     * says so only when it is found).
     *
     * @throws InvalidPropertyException naming what does not fit the destination
     */
    void validateFor(boolean topic) throws InvalidPropertyException {
        List<String> problems = new ArrayList<>();
        if (!topic && durable()) {
            problems.add("subscriptionDurability: Durable is for a topic; the destination is a queue");
        }
        if (!topic && shares()) {
            problems.add("shareSubscriptions: only a topic's subscriptions can be shared");
        }
        if (topic && !shares() && maxSession != null && maxSession > 1) {
            problems.add("maxSession: an unshared topic subscription has one consumer; set maxSession=1 or "
                    + "shareSubscriptions=true, was " + maxSession);
        }
        if (!problems.isEmpty()) {
            throw new InvalidPropertyException("invalid Tern activation: " + String.join("; ", problems));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    // ---- what the activation uses ----------------------------------------------------------------

    /**
     * {@link #QUEUE} or {@link #TOPIC}; {@code ""} when not given (a looked-up destination tells, a named one is a
     * queue); null when it is neither.
     */
    String destinationType() {
        String t = trim(destinationType);
        if (t == null || t.isEmpty()) {
            return "";
        }
        if (t.equals(QUEUE) || t.equalsIgnoreCase("queue") || t.equals("javax.jms.Queue")) {
            return QUEUE;
        }
        if (t.equals(TOPIC) || t.equalsIgnoreCase("topic") || t.equals("javax.jms.Topic")) {
            return TOPIC;
        }
        return null;
    }

    /** Sessions of an activation whose maxSession is not set, when its subscription may have several consumers. */
    static final int DEFAULT_MAX_SESSION = 10;

    /** The sessions (concurrent deliveries) of an activation; {@code oneConsumer}: an unshared topic subscription. */
    int sessions(boolean oneConsumer) {
        if (maxSession != null) {
            return maxSession;
        }
        return oneConsumer ? 1 : DEFAULT_MAX_SESSION;
    }

    boolean durable() {
        return DURABLE.equalsIgnoreCase(trim(subscriptionDurability));
    }

    boolean shares() {
        return Boolean.TRUE.equals(shareSubscriptions);
    }

    boolean dupsOk() {
        return DUPS_OK.equalsIgnoreCase(trim(acknowledgeMode));
    }

    TernResourceAdapter adapter() {
        return adapter instanceof TernResourceAdapter t ? t : null;
    }

    /** The adapter's connection settings with this activation's over them. */
    ConnectionSettings settings(TernResourceAdapter ra) {
        return settingsOver(ra.settings());
    }

    /** {@code base} (the adapter's, or those of the factory named by connectionFactoryLookup) with this activation's over them. */
    ConnectionSettings settingsOver(ConnectionSettings base) {
        return base.overriddenBy(connectionUrl, user, password, clientId);
    }

    int reconnectAttempts(TernResourceAdapter ra) {
        return reconnectAttempts != null ? reconnectAttempts : ra.reconnectAttemptsOrDefault();
    }

    long reconnectInterval(TernResourceAdapter ra) {
        return reconnectInterval != null ? reconnectInterval : ra.reconnectIntervalOrDefault();
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        this.adapter = ra;
    }

    // ---- JavaBean properties ----------------------------------------------------------------------

    public String getDestinationLookup() {
        return destinationLookup;
    }

    public void setDestinationLookup(String destinationLookup) {
        this.destinationLookup = destinationLookup;
    }

    public String getConnectionFactoryLookup() {
        return connectionFactoryLookup;
    }

    public void setConnectionFactoryLookup(String connectionFactoryLookup) {
        this.connectionFactoryLookup = connectionFactoryLookup;
    }

    public String getDestination() {
        return destination;
    }

    public void setDestination(String destination) {
        this.destination = destination;
    }

    public String getDestinationType() {
        return destinationType;
    }

    public void setDestinationType(String destinationType) {
        this.destinationType = destinationType;
    }

    public String getMessageSelector() {
        return messageSelector;
    }

    public void setMessageSelector(String messageSelector) {
        this.messageSelector = messageSelector;
    }

    public String getAcknowledgeMode() {
        return acknowledgeMode;
    }

    public void setAcknowledgeMode(String acknowledgeMode) {
        this.acknowledgeMode = acknowledgeMode;
    }

    public String getSubscriptionDurability() {
        return subscriptionDurability;
    }

    public void setSubscriptionDurability(String subscriptionDurability) {
        this.subscriptionDurability = subscriptionDurability;
    }

    public String getSubscriptionName() {
        return subscriptionName;
    }

    public void setSubscriptionName(String subscriptionName) {
        this.subscriptionName = subscriptionName;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public Boolean getShareSubscriptions() {
        return shareSubscriptions;
    }

    public void setShareSubscriptions(Boolean shareSubscriptions) {
        this.shareSubscriptions = shareSubscriptions;
    }

    public Integer getMaxSession() {
        return maxSession;
    }

    public void setMaxSession(Integer maxSession) {
        this.maxSession = maxSession;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getConnectionUrl() {
        return connectionUrl;
    }

    public void setConnectionUrl(String connectionUrl) {
        this.connectionUrl = connectionUrl;
    }

    public Integer getReconnectAttempts() {
        return reconnectAttempts;
    }

    public void setReconnectAttempts(Integer reconnectAttempts) {
        this.reconnectAttempts = reconnectAttempts;
    }

    public Long getReconnectInterval() {
        return reconnectInterval;
    }

    public void setReconnectInterval(Long reconnectInterval) {
        this.reconnectInterval = reconnectInterval;
    }

    @Override
    public String toString() {
        return "TernActivationSpec[" + (blank(destination) ? destinationLookup : destination) + ", "
                + (destinationType() == null || destinationType().isEmpty() ? "type from lookup" : destinationType())
                + (durable() ? ", durable " + subscriptionName : "")
                + (shares() ? ", shared " + subscriptionName : "") + ", maxSession " + maxSession + "]";
    }
}
