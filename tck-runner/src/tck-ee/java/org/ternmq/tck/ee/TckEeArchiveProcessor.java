package org.ternmq.tck.ee;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Set;

import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.TransformerException;

import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.asset.ByteArrayAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.xml.sax.SAXException;
import tck.arquillian.porting.lib.spi.AbstractTestArchiveProcessor;

/**
 * The TCK's hook for vendor changes to its archives. Its EJB jars carry GlassFish descriptors
 * ({@code sun-ejb-jar.xml}) written for GlassFish's own JMS adapter, which learns a message-driven bean's
 * destination from the bean's {@code jndi-name}, its durable subscription from {@code jms-durable-subscription-name}
 * and its connection factory from {@code mdb-connection-factory}. Another adapter is told these through activation
 * properties, which GlassFish takes from {@code mdb-resource-adapter} in the same descriptor: so for each
 * message-driven bean (named in {@code ejb-jar.xml}) whose descriptor has none, this adds one naming Tern's adapter
 * with {@code destinationLookup}, and, where given, {@code connectionFactoryLookup}, {@code subscriptionName} and
 * {@code subscriptionDurability=Durable} ({@link MdbDescriptors}). Nothing else in any archive changes. With the
 * system property {@code tern.tckee.provider=openmq} (the comparison run with GlassFish's own provider) it changes
 * nothing at all.
 */
public class TckEeArchiveProcessor extends AbstractTestArchiveProcessor {

    private static final String SUN_EJB_JAR = "META-INF/sun-ejb-jar.xml";
    private static final String GLASSFISH_EJB_JAR = "META-INF/glassfish-ejb-jar.xml";
    private static final String EJB_JAR = "META-INF/ejb-jar.xml";

    @Override
    public void processEjbArchive(JavaArchive ejbArchive, Class<?> testClass, URL sunXmlUrl) {
        if (TckEeConfiguration.OPENMQ.equals(System.getProperty("tern.tckee.provider"))) {
            return;
        }
        for (String descriptor : new String[] {SUN_EJB_JAR, GLASSFISH_EJB_JAR}) {
            Node vendor = ejbArchive.get(descriptor);
            if (vendor == null || vendor.getAsset() == null) {
                continue;
            }
            Node standard = ejbArchive.get(EJB_JAR);
            try {
                Set<String> mdbs = standard == null || standard.getAsset() == null ? Set.of()
                        : MdbDescriptors.messageDrivenBeans(read(standard));
                byte[] changed = MdbDescriptors.withTernActivations(read(vendor), mdbs);
                if (changed != null) {
                    ejbArchive.add(new ByteArrayAsset(changed), descriptor);
                }
            } catch (IOException | SAXException | ParserConfigurationException | TransformerException e) {
                throw new IllegalStateException("cannot read the descriptors of " + ejbArchive.getName() + ": " + e, e);
            }
        }
    }

    private static byte[] read(Node node) throws IOException {
        try (InputStream in = node.getAsset().openStream()) {
            return in.readAllBytes();
        }
    }

    @Override
    public void processClientArchive(JavaArchive clientArchive, Class<?> testClass, URL sunXmlUrl) {
    }

    @Override
    public void processWebArchive(WebArchive webArchive, Class<?> testClass, URL sunXmlUrl) {
    }

    @Override
    public void processRarArchive(JavaArchive rarArchive, Class<?> testClass, URL sunXmlUrl) {
    }

    @Override
    public void processParArchive(JavaArchive parArchive, Class<?> testClass, URL sunXmlUrl) {
    }

    @Override
    public void processEarArchive(EnterpriseArchive earArchive, Class<?> testClass, URL sunXmlUrl) {
    }
}
