package org.ternmq.tck.ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MdbDescriptorsTest {

    private static final String EJB_JAR = """
            <ejb-jar xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0">
              <enterprise-beans>
                <session><ejb-name>Sender</ejb-name></session>
                <message-driven><ejb-name>QueueBean</ejb-name></message-driven>
                <message-driven><ejb-name>DurableBean</ejb-name></message-driven>
              </enterprise-beans>
            </ejb-jar>
            """;

    private static final String SUN_EJB_JAR = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE sun-ejb-jar PUBLIC "-//Sun Microsystems, Inc.//DTD GlassFish Application Server 3.0 EJB 3.1//EN" "http://www.sun.com/software/appserver/dtds/sun-ejb-jar_3_1-0.dtd">
            <sun-ejb-jar>
              <enterprise-beans>
                <ejb><ejb-name>Sender</ejb-name><jndi-name>ejb/Sender</jndi-name></ejb>
                <ejb><ejb-name>QueueBean</ejb-name><jndi-name>orders</jndi-name></ejb>
                <ejb>
                  <ejb-name>DurableBean</ejb-name>
                  <jndi-name>prices</jndi-name>
                  <mdb-connection-factory><jndi-name>jms/DURABLE_CF</jndi-name></mdb-connection-factory>
                  <jms-durable-subscription-name>sub1</jms-durable-subscription-name>
                </ejb>
              </enterprise-beans>
            </sun-ejb-jar>
            """;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsTheMessageDrivenBeansOfAnEjbJar() throws Exception {
        assertThat(MdbDescriptors.messageDrivenBeans(bytes(EJB_JAR))).containsExactlyInAnyOrder("QueueBean", "DurableBean");
    }

    @Test
    void givesEachMessageDrivenBeanTernsAdapterWithItsDestinationAndSubscription() throws Exception {
        String out = new String(MdbDescriptors.withTernActivations(bytes(SUN_EJB_JAR), Set.of("QueueBean", "DurableBean")),
                StandardCharsets.UTF_8).replaceAll(">\\s+<", "><");

        assertThat(out).contains("<ejb-name>QueueBean</ejb-name><jndi-name>orders</jndi-name><mdb-resource-adapter>"
                + "<resource-adapter-mid>tern</resource-adapter-mid><activation-config><activation-config-property>"
                + "<activation-config-property-name>destinationLookup</activation-config-property-name>"
                + "<activation-config-property-value>orders</activation-config-property-value>"
                + "</activation-config-property></activation-config></mdb-resource-adapter></ejb>");
        assertThat(out).contains("<activation-config-property-name>connectionFactoryLookup</activation-config-property-name>"
                + "<activation-config-property-value>jms/DURABLE_CF</activation-config-property-value>");
        assertThat(out).contains("<activation-config-property-name>subscriptionDurability</activation-config-property-name>"
                + "<activation-config-property-value>Durable</activation-config-property-value>");
        assertThat(out).contains("<activation-config-property-name>subscriptionName</activation-config-property-name>"
                + "<activation-config-property-value>sub1</activation-config-property-value>");
        // the session bean keeps its descriptor as it was, and the DTD is kept for GlassFish's parser
        assertThat(out).contains("<ejb><ejb-name>Sender</ejb-name><jndi-name>ejb/Sender</jndi-name></ejb>");
        assertThat(out).contains("sun-ejb-jar_3_1-0.dtd");
    }

    @Test
    void leavesADescriptorAloneWhenItsBeansHaveAnAdapterOrAreNoMessageDrivenBeans() throws Exception {
        String withAdapter = SUN_EJB_JAR.replace("<jndi-name>orders</jndi-name>",
                "<jndi-name>orders</jndi-name><mdb-resource-adapter><resource-adapter-mid>other</resource-adapter-mid>"
                        + "</mdb-resource-adapter>");

        assertThat(MdbDescriptors.withTernActivations(bytes(withAdapter), Set.of("QueueBean"))).isNull();
        assertThat(MdbDescriptors.withTernActivations(bytes(SUN_EJB_JAR), Set.of())).isNull();
    }
}
