package org.ternmq.tck.ee;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/**
 * The {@code <configuration>} of the TCK's GlassFish container in {@code arquillian-*.xml}: the installation, the
 * Java that runs it, the domain (created with {@code --portbase}), the setup file of asadmin commands run once
 * after the domain is created, and the Tern broker started before the domain.
 *
 * <p>Filled in by Arquillian before the container starts, read-only afterwards.
 */
public class TckEeConfiguration implements ContainerConfiguration {

    private String glassFishHome;
    private String javaHome;
    private String domain = "tern-tck";
    private int portBase = 46000;
    private String setupFile;
    private String userPasswordDir;
    private String logFile = "target/tck-ee/asadmin.log";
    private int startTimeout = 300;
    private int commandTimeout = 600;
    private int brokerPort = 46091;
    private String brokerUsersFile;
    private String brokerDataDir = "target/tck-ee/broker";
    private String provider = TERN;
    private boolean listenForServerLogs;
    private String tsJteTemplate;
    private String tsJteFile;

    /** The JMS providers the runner can set up: Tern's adapter, or GlassFish's own OpenMQ (for comparison). */
    static final String TERN = "tern";
    static final String OPENMQ = "openmq";

    @Override
    public void validate() throws ConfigurationException {
        if (glassFishHome == null || !Files.isRegularFile(asadmin())) {
            throw new ConfigurationException("glassFishHome must name a GlassFish installation (with bin/asadmin), not "
                    + glassFishHome);
        }
        if (javaHome == null || !Files.isExecutable(Path.of(javaHome, "bin", "java"))) {
            throw new ConfigurationException("javaHome must name a Java 21+ installation (with bin/java), not "
                    + javaHome);
        }
        if (setupFile == null || !Files.isRegularFile(Path.of(setupFile))) {
            throw new ConfigurationException("setupFile " + setupFile + " does not exist");
        }
        if (brokerUsersFile == null || !Files.isRegularFile(Path.of(brokerUsersFile))) {
            throw new ConfigurationException("brokerUsersFile " + brokerUsersFile + " does not exist");
        }
        if (!TERN.equals(provider) && !OPENMQ.equals(provider)) {
            throw new ConfigurationException("provider must be " + TERN + " or " + OPENMQ + ", not " + provider);
        }
        if (tsJteTemplate == null || !Files.isRegularFile(Path.of(tsJteTemplate)) || tsJteFile == null) {
            throw new ConfigurationException("tsJteTemplate must name an existing file and tsJteFile be set, not "
                    + tsJteTemplate + " / " + tsJteFile);
        }
        if (portBase < 1024 || portBase > 65_000 || brokerPort < 1 || brokerPort > 65_535) {
            throw new ConfigurationException("portBase must be in 1024..65000 and brokerPort a TCP port");
        }
    }

    Path asadmin() {
        return Path.of(glassFishHome, "bin", "asadmin");
    }

    Path domainDir() {
        return Path.of(glassFishHome, "glassfish", "domains", domain);
    }

    /** GlassFish's admin port for a domain created with {@code --portbase}: base + 48. */
    int adminPort() {
        return portBase + 48;
    }

    /** The http-listener-1 port: base + 80. */
    int httpPort() {
        return portBase + 80;
    }

    /** The ORB (IIOP) listener, which application clients reach: base + 37. */
    int iiopPort() {
        return portBase + 37;
    }

    /** The https-listener-1 port: base + 81. */
    int httpsPort() {
        return portBase + 81;
    }

    /** The TCK's remote-logging port ({@code harness.log.port}): base + 90, a port GlassFish does not use. */
    int harnessLogPort() {
        return portBase + 90;
    }

    /** Whether GlassFish's own OpenMQ is the provider (no Tern broker, no Tern adapter). */
    boolean openMq() {
        return OPENMQ.equals(provider);
    }

    Path logFile() {
        return Path.of(logFile);
    }

    public String getGlassFishHome() {
        return glassFishHome;
    }

    public void setGlassFishHome(String glassFishHome) {
        this.glassFishHome = glassFishHome;
    }

    public String getJavaHome() {
        return javaHome;
    }

    public void setJavaHome(String javaHome) {
        this.javaHome = javaHome;
    }

    public String getDomain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }

    public int getPortBase() {
        return portBase;
    }

    public void setPortBase(int portBase) {
        this.portBase = portBase;
    }

    public String getSetupFile() {
        return setupFile;
    }

    public void setSetupFile(String setupFile) {
        this.setupFile = setupFile;
    }

    public String getUserPasswordDir() {
        return userPasswordDir;
    }

    /** Where the password files of the file-realm users {@code j2ee} and {@code javajoe} are written. */
    public void setUserPasswordDir(String userPasswordDir) {
        this.userPasswordDir = userPasswordDir;
    }

    public String getLogFile() {
        return logFile;
    }

    public void setLogFile(String logFile) {
        this.logFile = logFile;
    }

    public int getStartTimeout() {
        return startTimeout;
    }

    public void setStartTimeout(int startTimeout) {
        this.startTimeout = startTimeout;
    }

    public int getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(int commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public int getBrokerPort() {
        return brokerPort;
    }

    public void setBrokerPort(int brokerPort) {
        this.brokerPort = brokerPort;
    }

    public String getBrokerUsersFile() {
        return brokerUsersFile;
    }

    public void setBrokerUsersFile(String brokerUsersFile) {
        this.brokerUsersFile = brokerUsersFile;
    }

    public String getBrokerDataDir() {
        return brokerDataDir;
    }

    public void setBrokerDataDir(String brokerDataDir) {
        this.brokerDataDir = brokerDataDir;
    }

    public String getProvider() {
        return provider;
    }

    /** {@code tern} (default) or {@code openmq}: GlassFish's own JMS provider, for comparing a failing test. */
    public void setProvider(String provider) {
        this.provider = provider;
    }

    public boolean isListenForServerLogs() {
        return listenForServerLogs;
    }

    /**
     * Whether this JVM listens on {@link #harnessLogPort()} for the log lines the server side of a test sends (the
     * TCK's remote logging); default no. The javatest protocol needs it: its servlet and JSP vehicles connect there
     * before each test and fail the test when nothing listens. Not for the appclient protocol: each application
     * client listens on that port itself.
     */
    public void setListenForServerLogs(boolean listenForServerLogs) {
        this.listenForServerLogs = listenForServerLogs;
    }

    public String getTsJteTemplate() {
        return tsJteTemplate;
    }

    /**
     * The test properties the protocols pass to each test, with the tokens {@code @http.port@}, {@code @https.port@},
     * {@code @harness.log.port@}, {@code @domain@} and {@code @dir@} (the directory of {@link #setTsJteFile}) that
     * {@link TckEeContainer#start()} fills in from this configuration.
     */
    public void setTsJteTemplate(String tsJteTemplate) {
        this.tsJteTemplate = tsJteTemplate;
    }

    public String getTsJteFile() {
        return tsJteFile;
    }

    /** Where the filled-in {@link #setTsJteTemplate template} goes: the protocol's {@code tsJteFile}. */
    public void setTsJteFile(String tsJteFile) {
        this.tsJteFile = tsJteFile;
    }
}
