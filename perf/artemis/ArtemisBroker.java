import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An ActiveMQ Artemis broker for side-by-side measurements with Tern (run by bin/artemis-for-comparison):
 * persistence on, the NIO journal with journalBufferTimeout 170 us (the setting the issues' comparison figures
 * used), no security, queues created on first use. Arguments: port, data directory.
 */
public final class ArtemisBroker {
    public static void main(String[] args) throws Exception {
        // Artemis's audit loggers are off in its own distribution (log4j2.properties); with slf4j-simple they would
        // log four INFO lines per message (sent, routed, delivered, acknowledged), a cost no Artemis user pays
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.activemq.audit", "warn");
        int port = Integer.parseInt(args[0]);
        String data = args[1];
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalBufferTimeout_NIO(170_000)
                .setJournalDirectory(data + "/journal")
                .setBindingsDirectory(data + "/bindings")
                .setPagingDirectory(data + "/paging")
                .setLargeMessagesDirectory(data + "/large")
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port)
                .addAddressSetting("#", new AddressSettings().setAutoCreateQueues(true).setAutoCreateAddresses(true));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        System.out.println("Artemis is running on tcp://127.0.0.1:" + port + " with its data in " + data);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        Thread.currentThread().join();
    }
}
