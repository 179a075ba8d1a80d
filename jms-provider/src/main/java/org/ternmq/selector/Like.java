package org.ternmq.selector;

/**
 * {@code identifier [NOT] LIKE 'pattern' [ESCAPE 'c']}. UNKNOWN when the identifier is NULL or not a
 * string, so {@code NOT LIKE} does not match a number either.
 */
final class Like implements Expression {

    private final Identifier identifier;
    private final LikePattern pattern;
    private final boolean negated;

    Like(Identifier identifier, LikePattern pattern, boolean negated) {
        this.identifier = identifier;
        this.pattern = pattern;
        this.negated = negated;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Object v = identifier.evaluate(message);
        if (!(v instanceof String)) {
            return null;
        }
        return TruthValues.of(pattern.matches((String) v), negated);
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + identifier + (negated ? " NOT" : "") + " LIKE " + pattern + ")";
    }
}
