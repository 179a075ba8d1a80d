package org.ternmq.selector;

/** {@code identifier IS [NOT] NULL}: never UNKNOWN. */
final class IsNull implements Expression {

    private final Identifier identifier;
    private final boolean negated;

    IsNull(Identifier identifier, boolean negated) {
        this.identifier = identifier;
        this.negated = negated;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        return TruthValues.of(identifier.evaluate(message) == null, negated);
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + identifier + " IS " + (negated ? "NOT " : "") + "NULL)";
    }
}
