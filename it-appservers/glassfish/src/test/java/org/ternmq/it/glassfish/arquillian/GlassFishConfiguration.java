package org.ternmq.it.glassfish.arquillian;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.arquillian.container.spi.ConfigurationException;
import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;

/**
 * The {@code <configuration>} of a GlassFish container in {@code arquillian.xml}: where GlassFish is, which domain
 * to run (created on first start with the given ports), which Java runs it, and a file of {@code asadmin}
 * commands that configures the domain once, right after it is created and started.
 *
 * <p>Thread-safety: filled in by Arquillian before the container starts, read-only afterwards.
 */
public class GlassFishConfiguration implements ContainerConfiguration {

    private String glassFishHome;
    private String domain = "domain1";
    private String javaHome;
    private String adminHost = "127.0.0.1";
    private int adminPort = 4848;
    private int httpPort = 8080;
    private String domainProperties;
    private String setupFile;
    private int startTimeout = 180;
    private int commandTimeout = 180;
    private String logFile;

    @Override
    public void validate() throws ConfigurationException {
        if (glassFishHome == null || !Files.isRegularFile(asadmin())) {
            throw new ConfigurationException("glassFishHome must name a GlassFish installation (with bin/asadmin), not "
                    + glassFishHome);
        }
        if (javaHome != null && !Files.isExecutable(Path.of(javaHome, "bin", "java"))) {
            throw new ConfigurationException("javaHome must name a Java installation (with bin/java), not " + javaHome);
        }
        if (setupFile != null && !Files.isRegularFile(Path.of(setupFile))) {
            throw new ConfigurationException("setupFile " + setupFile + " does not exist");
        }
        if (adminPort <= 0 || httpPort <= 0 || startTimeout <= 0 || commandTimeout <= 0) {
            throw new ConfigurationException("ports and timeouts must be positive");
        }
    }

    Path asadmin() {
        return Path.of(glassFishHome, "bin", "asadmin");
    }

    Path domainDir() {
        return Path.of(glassFishHome, "glassfish", "domains", domain);
    }

    public String getGlassFishHome() {
        return glassFishHome;
    }

    /** The installation: the directory holding {@code bin/asadmin} and {@code glassfish/}. */
    public void setGlassFishHome(String glassFishHome) {
        this.glassFishHome = glassFishHome;
    }

    public String getDomain() {
        return domain;
    }

    /** The domain's name; it is created under {@code glassfish/domains} if it does not exist. */
    public void setDomain(String domain) {
        this.domain = domain;
    }

    public String getJavaHome() {
        return javaHome;
    }

    /** The Java that runs asadmin and so the server ({@code AS_JAVA}); unset, asadmin chooses as usual. */
    public void setJavaHome(String javaHome) {
        this.javaHome = javaHome;
    }

    public String getAdminHost() {
        return adminHost;
    }

    public void setAdminHost(String adminHost) {
        this.adminHost = adminHost;
    }

    public int getAdminPort() {
        return adminPort;
    }

    public void setAdminPort(int adminPort) {
        this.adminPort = adminPort;
    }

    public int getHttpPort() {
        return httpPort;
    }

    /** The port of the domain's {@code http-listener-1}, where deployments are reached. */
    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    public String getDomainProperties() {
        return domainProperties;
    }

    /** {@code create-domain --domainproperties} for a new domain: its other ports ({@code jms.port=...:...}). */
    public void setDomainProperties(String domainProperties) {
        this.domainProperties = domainProperties;
    }

    public String getSetupFile() {
        return setupFile;
    }

    /** {@code asadmin} commands run with {@code multimode --file} once, after a new domain first starts. */
    public void setSetupFile(String setupFile) {
        this.setupFile = setupFile;
    }

    public int getStartTimeout() {
        return startTimeout;
    }

    /** Seconds {@code start-domain} may take. */
    public void setStartTimeout(int startTimeout) {
        this.startTimeout = startTimeout;
    }

    public int getCommandTimeout() {
        return commandTimeout;
    }

    /** Seconds any other asadmin command (deploy, undeploy, stop-domain, the setup file) may take. */
    public void setCommandTimeout(int commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public String getLogFile() {
        return logFile;
    }

    /** Where the output of every asadmin command is appended; unset, it is only kept for error messages. */
    public void setLogFile(String logFile) {
        this.logFile = logFile;
    }
}
