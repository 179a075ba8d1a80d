package org.ternmq.broker.server;

import java.util.ArrayList;
import java.util.List;
import org.ternmq.broker.BrokerSetting;
import org.ternmq.broker.policy.PolicySetting;

/**
 * The example configuration file shipped in the distribution ({@code conf/tern.properties}): every broker
 * setting and every destination policy setting, commented out at its default, with its one-line doc. Made from
 * the settings themselves, so it cannot drift from them ({@code ExampleConfigTest} compares the shipped file).
 * {@code java -cp ... org.ternmq.broker.server.ExampleConfig} prints it.
 */
public final class ExampleConfig {

    private ExampleConfig() {
    }

    public static void main(String[] args) {
        System.out.print(render());
    }

    /** The file's text, lines ending with \n. */
    public static String render() {
        StringBuilder b = new StringBuilder();
        b.append("# Tern broker configuration: bin/tern --config conf/tern.properties\n");
        b.append("# Every setting is shown at its default, commented out; options on the command line override\n");
        b.append("# this file. Every problem in the file is reported at once, by its key, before anything starts.\n");
        b.append("\n# ---- broker settings\n");
        for (BrokerSetting s : BrokerSetting.values()) {
            entry(b, s.key(), s.defaultValue(), s.doc());
        }
        b.append("\n# ---- destination policies\n");
        b.append("# A block policy.<name>.match=<pattern> names destinations by wildcard (words separated by '.';\n");
        b.append("# '*' matches one word, '#' zero or more); policy.default applies to every destination. Each\n");
        b.append("# setting comes from the most specific block that sets it. For example:\n");
        b.append("#policy.orders.match=orders.#\n");
        b.append("#policy.orders.max-delivery-attempts=5\n");
        b.append("#policy.orders.dead-letter-destination=orders.DLQ\n");
        for (PolicySetting s : PolicySetting.values()) {
            entry(b, "policy.default." + s.key(), s.defaultValue(), s.doc());
        }
        return b.toString();
    }

    private static void entry(StringBuilder b, String key, String value, String doc) {
        b.append('\n');
        for (String line : wrap(doc, 100)) {
            b.append("# ").append(line).append('\n');
        }
        b.append('#').append(key).append('=').append(value).append('\n');
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
