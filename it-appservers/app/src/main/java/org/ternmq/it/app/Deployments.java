package org.ternmq.it.app;

import java.util.Map;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The two web archives every server gets: {@value Names#APP} (the order MDB, the bean, the servlet) and
 * {@value Names#DURABLE_APP} (the durable subscriber, deployed and undeployed by a scenario). Only the names of
 * the server's resources and its own descriptors differ from server to server.
 */
public final class Deployments {

    private Deployments() {
    }

    /**
     * @param cfLookup the server's name for the Tern connection factory
     * @param dsLookup the server's name for the PostgreSQL XA data source
     * @param ordersSource how the order MDB names its queue, e.g. {@code destination=it.orders} or
     *     {@code destinationLookup=jms/orders} (a server may give "destination" a meaning of its own)
     * @param vendorFiles further files by path in the archive (a server's own descriptors)
     */
    public static WebArchive app(String cfLookup, String dsLookup, Map<String, String> ordersSource,
            Map<String, String> vendorFiles) {
        WebArchive war = ShrinkWrap.create(WebArchive.class, Names.APP + ".war")
                .addClasses(Names.class, Rows.class, Replies.class, OrderMdb.class, OrderBean.class, ControlServlet.class)
                .addAsWebInfResource(new StringAsset(webXml(cfLookup, dsLookup)), "web.xml")
                .addAsWebInfResource(new StringAsset(ejbJarXml("OrderMdb", ordersSource)), "ejb-jar.xml")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
        vendorFiles.forEach((path, content) -> war.add(new StringAsset(content), path));
        return war;
    }

    /** @param eventsSource how the durable MDB names its topic (see {@link #app}) */
    public static WebArchive durableApp(String dsLookup, Map<String, String> eventsSource,
            Map<String, String> vendorFiles) {
        WebArchive war = ShrinkWrap.create(WebArchive.class, Names.DURABLE_APP + ".war")
                .addClasses(Names.class, Rows.class, DurableEventMdb.class)
                .addAsWebInfResource(new StringAsset(webXml(null, dsLookup)), "web.xml")
                .addAsWebInfResource(new StringAsset(ejbJarXml("DurableEventMdb", eventsSource)), "ejb-jar.xml");
        vendorFiles.forEach((path, content) -> war.add(new StringAsset(content), path));
        return war;
    }

    /** An ejb-jar.xml adding activation properties to one MDB (the annotations give the rest). */
    public static String ejbJarXml(String mdb, Map<String, String> activation) {
        StringBuilder props = new StringBuilder();
        activation.forEach((k, v) -> props.append("""
                          <activation-config-property>
                            <activation-config-property-name>%s</activation-config-property-name>
                            <activation-config-property-value>%s</activation-config-property-value>
                          </activation-config-property>
                """.formatted(k, v)));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <ejb-jar xmlns="https://jakarta.ee/xml/ns/jakartaee"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/ejb-jar_4_0.xsd"
                         version="4.0">
                  <enterprise-beans>
                    <message-driven>
                      <ejb-name>%s</ejb-name>
                      <activation-config>
                %s      </activation-config>
                    </message-driven>
                  </enterprise-beans>
                </ejb-jar>
                """.formatted(mdb, props);
    }

    /** A web.xml mapping the application's component-environment names to the server's. */
    public static String webXml(String cfLookup, String dsLookup) {
        StringBuilder refs = new StringBuilder();
        if (cfLookup != null) {
            refs.append(ref("jms/cf", "jakarta.jms.ConnectionFactory", cfLookup));
        }
        refs.append(ref("jdbc/ds", "javax.sql.DataSource", dsLookup));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                         version="6.0">
                %s</web-app>
                """.formatted(refs);
    }

    private static String ref(String name, String type, String lookup) {
        return """
                  <resource-ref>
                    <res-ref-name>%s</res-ref-name>
                    <res-type>%s</res-type>
                    <res-auth>Container</res-auth>
                    <lookup-name>%s</lookup-name>
                  </resource-ref>
                """.formatted(name, type, lookup);
    }
}
