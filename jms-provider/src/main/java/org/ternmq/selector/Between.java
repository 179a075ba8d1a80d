package org.ternmq.selector;

/**
 * {@code x [NOT] BETWEEN low AND high}, evaluated exactly as the specification's rewriting:
 * {@code x >= low AND x <= high}, and for NOT BETWEEN {@code x < low OR x > high}, in three-valued logic.
 */
final class Between implements Expression {

    private final Expression value;
    private final Expression low;
    private final Expression high;
    private final boolean negated;

    Between(Expression value, Expression low, Expression high, boolean negated) {
        this.value = value;
        this.low = low;
        this.high = high;
        this.negated = negated;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Object v = value.evaluate(message);
        if (v == null) {
            return null;
        }
        Object lo = low.evaluate(message);
        Object hi = high.evaluate(message);
        if (negated) {
            return TruthValues.or(Comparison.compare(Comparison.Operator.LESS, v, lo),
                    Comparison.compare(Comparison.Operator.GREATER, v, hi));
        }
        return TruthValues.and(Comparison.compare(Comparison.Operator.GREATER_OR_EQUAL, v, lo),
                Comparison.compare(Comparison.Operator.LESS_OR_EQUAL, v, hi));
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + value + (negated ? " NOT" : "") + " BETWEEN " + low + " AND " + high + ")";
    }
}
