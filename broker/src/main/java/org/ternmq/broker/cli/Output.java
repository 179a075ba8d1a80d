package org.ternmq.broker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints results as an aligned table (for people) or as JSON ({@code --json}, for scripts). */
final class Output {

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** An aligned table: a header row, then the rows; numbers right-aligned. */
    static void table(PrintWriter out, List<String> header, List<List<Object>> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
        }
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> row : rows) {
            List<String> r = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                String s = row.get(i) == null ? "-" : String.valueOf(row.get(i));
                width[i] = Math.max(width[i], s.length());
                r.add(s);
            }
            cells.add(r);
        }
        out.println(line(header, width, null));
        for (int i = 0; i < cells.size(); i++) {
            out.println(line(cells.get(i), width, rows.get(i)));
        }
        out.flush();
    }

    private static String line(List<String> values, int[] width, List<Object> raw) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            boolean number = raw != null && raw.get(i) instanceof Number;
            String pad = " ".repeat(width[i] - v.length());
            b.append(i == 0 ? "" : "  ").append(number ? pad + v : (i == values.size() - 1 ? v : v + pad));
        }
        return b.toString();
    }

    /** A single object as JSON, or its fields one per line. */
    static void record(PrintWriter out, boolean json, Map<String, ?> fields) {
        if (json) {
            json(out, fields);
            return;
        }
        int w = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            out.printf("%-" + w + "s  %s%n", e.getKey(), e.getValue() == null ? "-" : e.getValue());
        }
        out.flush();
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
