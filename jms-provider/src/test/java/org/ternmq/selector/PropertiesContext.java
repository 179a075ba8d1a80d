package org.ternmq.selector;

import java.util.HashMap;
import java.util.Map;

/** A message for tests: header fields and properties in a map, absent names are NULL. */
final class PropertiesContext implements SelectorContext {

    private final Map<String, Object> values = new HashMap<>();

    /** @param namesAndValues alternating names and values, for example {@code "a", 1, "b", "x"} */
    static PropertiesContext of(Object... namesAndValues) {
        PropertiesContext context = new PropertiesContext();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            context.values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return context;
    }

    @Override
    public Object identifier(String name) {
        return values.get(name);
    }

    /** Parses {@code selector} and evaluates it against {@code namesAndValues}; fails the test on a syntax error. */
    static boolean matches(String selector, Object... namesAndValues) {
        try {
            return Selector.parse(selector).matches(of(namesAndValues));
        } catch (SelectorSyntaxException e) {
            throw new AssertionError("selector should parse: " + selector, e);
        }
    }
}
