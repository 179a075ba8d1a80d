package org.ternmq.tck.ee;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Rewrites a GlassFish EJB descriptor ({@code sun-ejb-jar.xml}) so that its message-driven beans go to Tern's
 * resource adapter: GlassFish's own JMS adapter learns an MDB's destination from the bean's {@code jndi-name}, its
 * durable subscription from {@code jms-durable-subscription-name} and its connection factory from
 * {@code mdb-connection-factory}; another adapter is told these through activation properties, which GlassFish
 * takes from the descriptor's {@code mdb-resource-adapter}. Plain JDK XML, so it is tested in the default build
 * although only the {@code tck-ee} run uses it. Stateless; any thread.
 */
final class MdbDescriptors {

    /** The module name of Tern's adapter in the domain ({@code deploy --name tern}). */
    static final String RESOURCE_ADAPTER = "tern";

    private MdbDescriptors() {
    }

    /** The {@code ejb-name}s of the {@code message-driven} beans of an {@code ejb-jar.xml}. */
    static Set<String> messageDrivenBeans(byte[] ejbJarXml)
            throws IOException, SAXException, ParserConfigurationException {
        Document doc = parser().parse(new ByteArrayInputStream(ejbJarXml));
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
        Document doc = parser().parse(new ByteArrayInputStream(vendorXml));
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

}
