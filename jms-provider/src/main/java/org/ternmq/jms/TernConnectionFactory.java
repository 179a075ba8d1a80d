package org.ternmq.jms;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;

import org.ternmq.client.ClientConnection;
import org.ternmq.client.ClientException;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.jms.context.RuntimeExceptions;
import org.ternmq.jms.context.TernJMSContext;

/**
 * Creates Tern connections and contexts from a connection URL ({@link ConnectionUrl}: {@code tern://host:port}
 * or {@code vm://name}, with options). The client id, user and password set here override the URL's.
 *
 * <p>Thread-safety: the setters are for configuration before use; creating connections is safe from any
 * number of threads.
 */
public class TernConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory {

    private volatile String url;
    private volatile String clientId;
    private volatile String user;
    private volatile String password;
    private volatile String trustedPackages;

    /** @throws IllegalArgumentException for a malformed URL, naming what is wrong */
    public TernConnectionFactory(String url) {
        setUrl(url);
    }

    /** A factory for a broker on this host's default port. */
    public TernConnectionFactory() {
        this("tern://localhost:" + org.ternmq.transport.TransportAddress.DEFAULT_PORT);
    }

    public String getUrl() {
        return url;
    }

    /** @throws IllegalArgumentException for a malformed URL */
    public void setUrl(String url) {
        ConnectionUrl.parse(url);
        this.url = url;
    }

    /**
     * @return the packages (comma-separated) whose classes ObjectMessages received through this factory's
     *     connections may deserialize besides the defaults; null: the URL's trustedPackages option
     */
    public String getTrustedPackages() {
        return trustedPackages;
    }

    /** @see org.ternmq.jms.message.TrustedPackages */
    public void setTrustedPackages(String packages) {
        this.trustedPackages = packages;
    }

    /** @return the administratively configured client id (this factory's, else the URL's), or null */
    public String getClientId() {
        String id = clientId;
        return id != null ? id : ConnectionUrl.parse(url).clientId();
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
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

    // ---- classic API ---------------------------------------------------------------------------------

    @Override
    public Connection createConnection() throws JMSException {
        return connect(user, password);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return connect(userName, password);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return connect(user, password);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return connect(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return connect(user, password);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return connect(userName, password);
    }

    TernConnection connect(String userName, String pass) throws JMSException {
        ConnectionUrl parsed;
        try {
            parsed = ConnectionUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw JmsExceptions.from("bad connection URL", e);
        }
        ClientConnection client;
        try {
            client = ClientConnection.connect(parsed, userName, pass);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
        String id = clientId != null ? clientId : parsed.clientId();
        TernConnection connection = newConnection(client, id);
        connection.setTrustedPackages(org.ternmq.jms.message.TrustedPackages.with(
                trustedPackages != null ? trustedPackages : parsed.trustedPackages()));
        return connection;
    }

    /** The connection object for a connected client (an XA factory makes XA connections). */
    TernConnection newConnection(ClientConnection client, String clientId) throws JMSException {
        return new TernConnection(client, clientId);
    }

    // ---- simplified API ------------------------------------------------------------------------------

    @Override
    public JMSContext createContext() {
        return createContext(user, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext(user, password, sessionMode);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        if (sessionMode < JMSContext.SESSION_TRANSACTED || sessionMode > JMSContext.DUPS_OK_ACKNOWLEDGE) {
            throw new JMSRuntimeException("invalid session mode " + sessionMode);
        }
        Connection connection;
        try {
            connection = connect(userName, password);
        } catch (JMSException e) {
            throw RuntimeExceptions.toRuntime(e);
        }
        return TernJMSContext.create(connection, sessionMode);
    }

    @Override
    public String toString() {
        return "TernConnectionFactory[" + ConnectionUrl.parse(url) + "]";
    }
}
