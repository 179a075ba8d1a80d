package org.ternmq.tck.ee;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.asset.ByteArrayAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
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
 * {@code subscriptionDurability=Durable}. Nothing else in any archive changes.
 */
public class TckEeArchiveProcessor extends AbstractTestArchiveProcessor {

    /** The module name of Tern's adapter in the domain ({@code deploy --name tern}). */
    static final String RESOURCE_ADAPTER = "tern";

    private static final String SUN_EJB_JAR = "META-INF/sun-ejb-jar.xml";
    private static final String GLASSFISH_EJB_JAR = "META-INF/glassfish-ejb-jar.xml";
    private static final String EJB_JAR = "META-INF/ejb-jar.xml";

    @Override
    public void processEjbArchive(JavaArchive ejbArchive, Class<?> testClass, URL sunXmlUrl) {
        for (String descriptor : new String[] {SUN_EJB_JAR, GLASSFISH_EJB_JAR}) {
            Node vendor = ejbArchive.get(descriptor);
            if (vendor == null || vendor.getAsset() == null) {
                continue;
            }
            Node standard = ejbArchive.get(EJB_JAR);
            try {
                Set<String> mdbs = standard == null || standard.getAsset() == null ? Set.of()
                        : messageDrivenBeans(read(standard));
                byte[] changed = withTernActivations(read(vendor), mdbs);
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

    /** The {@code ejb-name}s of the {@code message-driven} beans of an {@code ejb-jar.xml}. */
    static Set<String> messageDrivenBeans(byte[] ejbJarXml)
            throws IOException, SAXException, ParserConfigurationException {
        Document doc = parser().parse(new java.io.ByteArrayInputStream(ejbJarXml));
        Set<String> names = new HashSet<>();
        NodeList beans = doc.getElementsByTagNameNS("*", "message-driven");
        for (int i = 0; i < beans.getLength(); i++) {
            String name = childText((Element) beans.item(i), "ejb-name");
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The vendor descriptor with an {@code mdb-resource-adapter} for every bean of {@code mdbs} that names a
     * destination ({@code jndi-name}) and has no adapter yet; {@code null} when nothing changes.
     */
    static byte[] withTernActivations(byte[] vendorXml, Set<String> mdbs)
            throws IOException, SAXException, ParserConfigurationException, TransformerException {
        Document doc = parser().parse(new java.io.ByteArrayInputStream(vendorXml));
        NodeList ejbs = doc.getElementsByTagName("ejb");
        boolean changed = false;
        for (int i = 0; i < ejbs.getLength(); i++) {
            Element ejb = (Element) ejbs.item(i);
            String name = childText(ejb, "ejb-name");
            String destination = childText(ejb, "jndi-name");
            if (name == null || destination == null || !mdbs.contains(name)
                    || ejb.getElementsByTagName("mdb-resource-adapter").getLength() > 0) {
                continue;
            }
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("destinationLookup", destination);
            Element factory = child(ejb, "mdb-connection-factory");
            if (factory != null && childText(factory, "jndi-name") != null) {
                properties.put("connectionFactoryLookup", childText(factory, "jndi-name"));
            }
            String subscription = childText(ejb, "jms-durable-subscription-name");
            if (subscription != null) {
                properties.put("subscriptionDurability", "Durable");
                properties.put("subscriptionName", subscription);
            }
            Element adapter = doc.createElement("mdb-resource-adapter");
            appendText(doc, adapter, "resource-adapter-mid", RESOURCE_ADAPTER);
            Element config = doc.createElement("activation-config");
            for (Map.Entry<String, String> p : properties.entrySet()) {
                Element property = doc.createElement("activation-config-property");
                appendText(doc, property, "activation-config-property-name", p.getKey());
                appendText(doc, property, "activation-config-property-value", p.getValue());
                config.appendChild(property);
            }
            adapter.appendChild(config);
            ejb.appendChild(adapter);
            changed = true;
        }
        if (!changed) {
            return null;
        }
        Transformer out = TransformerFactory.newInstance().newTransformer();
        if (doc.getDoctype() != null) {
            out.setOutputProperty(OutputKeys.DOCTYPE_PUBLIC, doc.getDoctype().getPublicId());
            out.setOutputProperty(OutputKeys.DOCTYPE_SYSTEM, doc.getDoctype().getSystemId());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.transform(new DOMSource(doc), new StreamResult(bytes));
        return bytes.toByteArray();
    }

    private static DocumentBuilder parser() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setValidating(false);
        // the descriptors name DTDs on the web: never fetch them
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder();
    }

    private static Element child(Element parent, String name) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) {
                return e;
            }
        }
        return null;
    }

    private static String childText(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            return null;
        }
        String text = e.getTextContent().trim();
        return text.isEmpty() ? null : text;
    }

    private static void appendText(Document doc, Element parent, String name, String text) {
        Element e = doc.createElement(name);
        e.setTextContent(text);
        parent.appendChild(e);
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
