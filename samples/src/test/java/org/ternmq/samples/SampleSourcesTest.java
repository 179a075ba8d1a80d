package org.ternmq.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The samples are what the issue asks for: plain JMS code configured by a jndi.properties. */
class SampleSourcesTest {

    private static final Path SOURCES = Path.of("src/main/java/org/ternmq/samples");

    @Test
    void samplesImportOnlyJmsNamingAndTheJdk() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.list(SOURCES)) {
            files = all.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        for (Path file : files) {
            List<String> imports = Files.readAllLines(file).stream().filter(l -> l.startsWith("import ")).toList();
            boolean embedded = file.getFileName().toString().equals("EmbeddedBrokerSample.java");
            assertThat(imports).as(file.toString()).allSatisfy(line -> assertThat(line).matches(
                    embedded ? "import (static )?(java|jakarta\\.jms|javax\\.naming|org\\.ternmq\\.broker)\\..*;"
                             : "import (static )?(java|jakarta\\.jms|javax\\.naming)\\..*;"));
        }
    }

    @Test
    void jndiPropertiesNameTheTernFactoryAndTheDefaultBroker() throws IOException {
        Properties jndi = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("jndi.properties")) {
            assertThat(in).isNotNull();
            jndi.load(in);
        }
        assertThat(jndi.getProperty("java.naming.factory.initial"))
                .isEqualTo("org.ternmq.jndi.TernInitialContextFactory");
        // the broker `bin/tern` starts with no options; ObjectMessage bodies of the samples' own package trusted
        assertThat(jndi.getProperty("connectionFactory.ConnectionFactory"))
                .isEqualTo("tern://127.0.0.1:61616?trustedPackages=org.ternmq.samples");
        assertThat(jndi.stringPropertyNames()).contains("queue.BodyTypesQueue", "queue.RequestQueue",
                "queue.TransactedQueue", "queue.ListenerQueue", "topic.PriceTopic");
    }
}
