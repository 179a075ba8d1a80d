package org.ternmq.tck.ee;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.ternmq.tck.ee.Asadmin.AsadminException;

/**
 * GlassFish with Tern as its JMS provider, for the Jakarta Messaging platform TCK: {@link #start} starts the Tern
 * broker (a child process), creates the domain anew with the configured port base (one left by an earlier run is
 * deleted: it holds that build's adapter), runs the setup file (Tern's {@code .rar}, the TCK's connection factories and destinations, the file-realm users),
 * and starts the domain; archives are deployed and undeployed with {@code asadmin}, each under the archive's name
 * without its extension. Domain and broker stay up for all test classes of the JVM (see {@link #running}); a
 * shutdown hook stops the domain and then the broker.
 *
 * <p>Arquillian calls it from one thread.
 */
public class TckEeContainer implements DeployableContainer<TckEeConfiguration> {

    private static final Logger LOG = Logger.getLogger(TckEeContainer.class.getName());

    /** Written into the domain directory once the setup file ran through. */
    private static final String SET_UP = ".tern-tck-set-up";

    private TckEeConfiguration config;
    private Asadmin asadmin;
    private TckEeBroker broker;
    private Path exports;
    private HarnessLogListener harnessLog;

    /**
     * The container of this JVM whose domain and broker are up, or null. Failsafe runs each test class of a fork
     * with more than one fork as a test plan of its own, and Arquillian starts and stops its container with every
     * plan; the domain (minutes to create and set up) and the broker outlive the plan instead and serve the fork's next
     * test class, and a shutdown hook stops them when the fork's JVM ends.
     */
    private static TckEeContainer running;
    private static Thread shutdownHook;

    @Override
    public Class<TckEeConfiguration> getConfigurationClass() {
        return TckEeConfiguration.class;
    }

    @Override
    public void setup(TckEeConfiguration configuration) {
        this.config = configuration;
        this.asadmin = new Asadmin(configuration);
    }

    @Override
    public void start() throws LifecycleException {
        synchronized (TckEeContainer.class) {
            if (running != null && running.config.getDomain().equals(config.getDomain())
                    && running.config.getPortBase() == config.getPortBase()
                    && running.config.getProvider().equals(config.getProvider())) {
                LOG.info("domain " + config.getDomain() + " and its broker are up since an earlier test class of this JVM");
                exports = running.exports;
                return;
            }
            if (running != null) {
                running.stopNow();
                running = null;
            }
            startNow();
            running = this;
            if (shutdownHook == null) {
                shutdownHook = new Thread(TckEeContainer::stopRunning, "tck-ee-stop-domain");
                Runtime.getRuntime().addShutdownHook(shutdownHook);
            }
        }
    }

    /** At the JVM's end: the domain and broker kept for the next test class. */
    private static void stopRunning() {
        synchronized (TckEeContainer.class) {
            if (running == null) {
                return;
            }
            try {
                running.stopNow();
            } catch (LifecycleException e) {
                LOG.warning(e.getMessage());
            } finally {
                running = null;
            }
        }
    }

    private void startNow() throws LifecycleException {
        try {
            if (config.openMq()) {
                LOG.info("provider openmq: GlassFish's own JMS provider, no Tern broker");
            } else {
                LOG.info("starting the Tern broker on 127.0.0.1:" + config.getBrokerPort());
                broker = TckEeBroker.start(config);
            }
            writeTsJte();
            Path domainDir = config.domainDir();
            // a domain of an earlier run holds the .rar of that build: every run starts from a new domain
            if (Files.isDirectory(domainDir)) {
                LOG.info("deleting domain " + config.getDomain() + " of an earlier run");
                deleteTree(domainDir);
            }
            createAndSetUp(domainDir);
            if (config.isListenForServerLogs()) {
                harnessLog = HarnessLogListener.start(config.harnessLogPort(), TckEeContainer::printServerLine);
                LOG.info("listening for the server side's TCK log lines on 127.0.0.1:" + harnessLog.port());
            }
            exports = Files.createDirectories(config.logFile().toAbsolutePath().getParent().resolve("deployments"));
        } catch (AsadminException | IOException e) {
            stopDomainQuietly();
            stopBroker();
            stopHarnessLog();
            throw new LifecycleException("cannot start GlassFish domain " + config.getDomain() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopBroker();
            throw new LifecycleException("interrupted while starting", e);
        } catch (RuntimeException e) {
            stopBroker();
            throw e;
        }
    }

    private void createAndSetUp(Path domainDir) throws AsadminException, IOException {
        Files.createDirectories(config.logFile().toAbsolutePath().getParent());
        LOG.info("creating GlassFish domain " + config.getDomain() + " with port base " + config.getPortBase());
        asadmin.local(config.getCommandTimeout(), "create-domain", "--nopassword=true", "--checkports=true",
                "--portbase", Integer.toString(config.getPortBase()), config.getDomain());
        asadmin.local(config.getStartTimeout(), "start-domain", config.getDomain());
        // the TCK's users of the file realm: j2ee (user/password) and javajoe (authuser/authpassword)
        Path passwords = Files.createDirectories(Path.of(config.getUserPasswordDir()));
        createFileUser(passwords, "j2ee", "staff:mgr:DIRECTOR");
        createFileUser(passwords, "javajoe", "guest:OTHERROLE");
        Path setup = filledSetupFile();
        if (config.openMq()) {
            setup = openMqSetup(setup);
        }
        LOG.info("configuring domain " + config.getDomain() + " with " + setup);
        asadmin.remote(config.getCommandTimeout(), List.of(), "multimode", "--file", setup.toString());
        if (config.openMq()) {
            createOpenMqUsers(domainDir);
        }
        // JVM options (the resource adapter of MDBs) take effect at the next start
        asadmin.local(config.getStartTimeout(), "restart-domain", config.getDomain());
        Files.writeString(domainDir.resolve(SET_UP), "set up from " + config.getSetupFile() + "\n");
    }

    /**
     * The test properties of this container's ports, domain and directory, from the template, where the protocol
     * reads them ({@code tsJteFile}); written before each start, as each lane of a run has its own.
     */
    private void writeTsJte() throws IOException {
        Path file = Path.of(config.getTsJteFile()).toAbsolutePath();
        String text = Files.readString(Path.of(config.getTsJteTemplate()), StandardCharsets.UTF_8)
                .replace("@http.port@", Integer.toString(config.httpPort()))
                .replace("@https.port@", Integer.toString(config.httpsPort()))
                .replace("@harness.log.port@", Integer.toString(config.harnessLogPort()))
                .replace("@domain@", config.getDomain())
                .replace("@dir@", file.getParent().toString());
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The setup file with this container's broker port in place of {@code @broker.port@}, beside the log file. */
    private Path filledSetupFile() throws IOException {
        Path template = Path.of(config.getSetupFile());
        String text = Files.readString(template, StandardCharsets.UTF_8)
                .replace("@broker.port@", Integer.toString(config.getBrokerPort()));
        Path file = config.logFile().toAbsolutePath().getParent().resolve(template.getFileName());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The setup file for GlassFish's own provider: the same factories (client ids included) and destinations with
     * OpenMQ's adapter {@code jmsra}, without the lines that install and choose Tern's adapter.
     */
    private Path openMqSetup(Path ternSetup) throws IOException {
        StringBuilder out = new StringBuilder("# " + ternSetup + " for GlassFish's own OpenMQ (provider openmq)\n");
        for (String line : Files.readAllLines(ternSetup, StandardCharsets.UTF_8)) {
            if (line.contains("inbound.ramid=tern") || line.startsWith("create-resource-adapter-config")
                    || line.startsWith("deploy --type rar") || line.contains("__defaultConnectionFactory")) {
                continue;
            }
            out.append(line.replace("--raname tern ", "--raname jmsra ")).append('\n');
        }
        Path file = config.logFile().toAbsolutePath().getParent().resolve("openmq-tck.asadmin");
        Files.writeString(file, out, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The TCK's users {@code j2ee} and {@code javajoe} in the user repository of the domain's embedded OpenMQ
     * broker (as the TCK's own GlassFish runner does with {@code imqusermgr}); {@code jms-ping} starts the broker
     * first, which creates its instance directory.
     */
    private void createOpenMqUsers(Path domainDir) throws AsadminException, IOException {
        asadmin.remote(config.getCommandTimeout(), List.of(), "jms-ping");
        Path varHome = domainDir.resolve("imq");
        String instance;
        try (Stream<Path> instances = Files.list(varHome.resolve("instances"))) {
            instance = instances.filter(Files::isDirectory).map(p -> p.getFileName().toString()).findFirst()
                    .orElseThrow(() -> new IOException("no OpenMQ broker instance under " + varHome));
        }
        Path usermgr = Path.of(config.getGlassFishHome(), "mq", "bin", "imqusermgr");
        for (String user : List.of("j2ee", "javajoe")) {
            asadmin.tool(config.getCommandTimeout(), usermgr, "add", "-javahome", config.getJavaHome(), "-varhome",
                    varHome.toString(), "-i", instance, "-u", user, "-p", user, "-g", "admin", "-f");
        }
    }

    private void createFileUser(Path dir, String user, String groups) throws AsadminException, IOException {
        Path file = dir.resolve(user + ".pass");
        Files.writeString(file, "AS_ADMIN_USERPASSWORD=" + user + "\n", StandardCharsets.UTF_8);
        asadmin.remote(config.getCommandTimeout(), List.of("--passwordfile", file.toString()),
                "create-file-user", "--groups", groups, user);
    }

    /** Leaves the domain and broker up for the JVM's next test class; the shutdown hook stops them. */
    @Override
    public void stop() {
        LOG.info("test plan done; domain " + config.getDomain() + " stays up until this JVM ends");
    }

    private void stopNow() throws LifecycleException {
        try {
            LOG.info("stopping GlassFish domain " + config.getDomain());
            asadmin.local(config.getCommandTimeout(), "stop-domain", config.getDomain());
        } catch (AsadminException e) {
            throw new LifecycleException("cannot stop GlassFish domain " + config.getDomain() + ": " + e.getMessage(), e);
        } finally {
            stopHarnessLog();
            stopBroker();
        }
    }

    /** A line the server side of a test logged (the TCK's remote logging), into this JVM's output. */
    private static void printServerLine(String line) {
        synchronized (System.out) {
            System.out.println(line);
        }
    }

    private void stopHarnessLog() {
        if (harnessLog == null) {
            return;
        }
        try {
            LOG.info("the TCK's remote logging: " + harnessLog.connections() + " connections, " + harnessLog.lines()
                    + " lines");
            harnessLog.close();
        } catch (IOException e) {
            LOG.fine("closing the harness log listener: " + e.getMessage());
        } finally {
            harnessLog = null;
        }
    }

    /** After a failed start: a domain that did start must not outlive the run. */
    private void stopDomainQuietly() {
        try {
            asadmin.local(config.getCommandTimeout(), "stop-domain", config.getDomain());
        } catch (AsadminException e) {
            LOG.fine("stop-domain after a failed start: " + e.getMessage());
        }
    }

    private void stopBroker() {
        if (broker == null) {
            return;
        }
        try {
            broker.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            broker = null;
        }
    }

    /** The TCK names the protocol of every deployment ({@code appclient} or {@code javatest}). */
    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("appclient");
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String name = nameOf(archive);
        Path file = exports.resolve(archive.getName());
        archive.as(ZipExporter.class).exportTo(file.toFile(), true);
        try {
            if (archive.getName().endsWith(".war")) {
                asadmin.remote(config.getCommandTimeout(), List.of(), "deploy", "--force=true", "--name", name,
                        "--contextroot", name, file.toString());
            } else {
                asadmin.remote(config.getCommandTimeout(), List.of(), "deploy", "--force=true", "--name", name,
                        file.toString());
            }
        } catch (AsadminException e) {
            throw new DeploymentException("cannot deploy " + archive.getName() + ": " + e.getMessage(), e);
        }
        return new ProtocolMetaData().addContext(new HTTPContext("127.0.0.1", config.httpPort()));
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        try {
            asadmin.remote(config.getCommandTimeout(), List.of(), "undeploy", nameOf(archive));
        } catch (AsadminException e) {
            throw new DeploymentException("cannot undeploy " + archive.getName() + ": " + e.getMessage(), e);
        }
    }

    private static String nameOf(Archive<?> archive) {
        String name = archive.getName();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
