package org.ternmq.selector;

import java.util.List;
import java.util.Set;

/**
 * {@code identifier [NOT] IN ('a', 'b', ...)}. UNKNOWN when the identifier is NULL, and also when it is not
 * a string: IN is only defined for strings, and UNKNOWN keeps {@code NOT IN} from matching a number.
 */
final class InList implements Expression {

    private final Identifier identifier;
    private final Set<String> items;
    private final boolean negated;

    InList(Identifier identifier, List<String> items, boolean negated) {
        this.identifier = identifier;
        this.items = Set.copyOf(items);
        this.negated = negated;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Object v = identifier.evaluate(message);
        if (!(v instanceof String)) {
            return null;
        }
        return TruthValues.of(items.contains(v), negated);
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + identifier + (negated ? " NOT" : "") + " IN " + items + ")";
    }
}
