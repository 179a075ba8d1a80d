package org.ternmq.it.glassfish.arquillian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.spi.client.protocol.metadata.Servlet;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.ternmq.it.glassfish.arquillian.Asadmin.AsadminException;

/**
 * A GlassFish domain managed through {@code asadmin}: {@link #start} creates the domain if it does not exist (and
 * then runs the configuration's setup file against it once), starts it with {@code start-domain}; archives are
 * exported to files and given to {@code deploy}/{@code undeploy}, each under the archive's name without its
 * extension, a web archive with that name as its context root; {@link #stop} runs {@code stop-domain}.
 *
 * <p>Only client-side tests ({@code testable = false}): a deployment's {@link HTTPContext} lets
 * {@code @ArquillianResource URL} give its base URL.
 *
 * <p>Thread-safety: Arquillian calls it from one thread.
 */
public class GlassFishManagedContainer implements DeployableContainer<GlassFishConfiguration> {

    private static final Logger LOG = Logger.getLogger(GlassFishManagedContainer.class.getName());

    private GlassFishConfiguration config;
    private Asadmin asadmin;
    private Path exports;

    @Override
    public Class<GlassFishConfiguration> getConfigurationClass() {
        return GlassFishConfiguration.class;
    }

    @Override
    public void setup(GlassFishConfiguration configuration) {
        this.config = configuration;
        this.asadmin = new Asadmin(configuration);
    }

    @Override
    public void start() throws LifecycleException {
        try {
            boolean created = false;
            if (!Files.isDirectory(config.domainDir())) {
                createDomain();
                created = true;
            }
            LOG.info("starting GlassFish domain " + config.getDomain());
            asadmin.local(config.getStartTimeout(), "start-domain", config.getDomain());
            if (created && config.getSetupFile() != null) {
                LOG.info("configuring domain " + config.getDomain() + " with " + config.getSetupFile());
                asadmin.remote(config.getCommandTimeout(), "multimode", "--file", config.getSetupFile());
            }
            exports = Files.createTempDirectory("arquillian-glassfish");
        } catch (AsadminException | IOException e) {
            throw new LifecycleException("cannot start GlassFish domain " + config.getDomain() + ": " + e.getMessage(), e);
        }
    }

    private void createDomain() throws AsadminException {
        LOG.info("creating GlassFish domain " + config.getDomain());
        List<String> args = new ArrayList<>(List.of("create-domain", "--nopassword=true", "--checkports=true",
                "--adminport", Integer.toString(config.getAdminPort()),
                "--instanceport", Integer.toString(config.getHttpPort())));
        if (config.getDomainProperties() != null) {
            args.addAll(List.of("--domainproperties", config.getDomainProperties()));
        }
        args.add(config.getDomain());
        asadmin.local(config.getCommandTimeout(), args.toArray(String[]::new));
    }

    @Override
    public void stop() throws LifecycleException {
        try {
            LOG.info("stopping GlassFish domain " + config.getDomain());
            asadmin.local(config.getCommandTimeout(), "stop-domain", config.getDomain());
        } catch (AsadminException e) {
            throw new LifecycleException("cannot stop GlassFish domain " + config.getDomain() + ": " + e.getMessage(), e);
        } finally {
            deleteExports();
        }
    }

    /** Client-side tests only: no protocol runs inside the server. */
    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String name = nameOf(archive);
        Path file = exports.resolve(archive.getName());
        archive.as(ZipExporter.class).exportTo(file.toFile(), true);
        List<String> args = new ArrayList<>(List.of("deploy", "--force=true", "--name", name));
        boolean web = archive.getName().endsWith(".war");
        if (web) {
            args.addAll(List.of("--contextroot", name));
        }
        args.add(file.toString());
        try {
            asadmin.remote(config.getCommandTimeout(), args.toArray(String[]::new));
        } catch (AsadminException e) {
            throw new DeploymentException("cannot deploy " + archive.getName() + ": " + e.getMessage(), e);
        }
        HTTPContext http = new HTTPContext(config.getAdminHost(), config.getHttpPort());
        if (web) {
            // the "servlet" stands for the whole web module: its base URL is the context root's
            http.add(new Servlet(name, "/" + name));
        }
        return new ProtocolMetaData().addContext(http);
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        try {
            asadmin.remote(config.getCommandTimeout(), "undeploy", nameOf(archive));
        } catch (AsadminException e) {
            throw new DeploymentException("cannot undeploy " + archive.getName() + ": " + e.getMessage(), e);
        }
    }

    private static String nameOf(Archive<?> archive) {
        String name = archive.getName();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private void deleteExports() {
        if (exports == null) {
            return;
        }
        try (var files = Files.list(exports)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(exports);
        } catch (IOException e) {
            LOG.fine("cannot delete " + exports + ": " + e);
        }
        exports = null;
    }
}
