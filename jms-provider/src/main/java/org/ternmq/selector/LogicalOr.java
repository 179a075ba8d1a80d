package org.ternmq.selector;

/** {@code a OR b} in three-valued logic; b is not evaluated when a is TRUE. */
final class LogicalOr implements Expression {

    private final Expression left;
    private final Expression right;

    LogicalOr(Expression left, Expression right) {
        this.left = left;
        this.right = right;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Boolean l = TruthValues.of(left.evaluate(message));
        if (l == Boolean.TRUE) {
            return Boolean.TRUE;
        }
        return TruthValues.or(l, TruthValues.of(right.evaluate(message)));
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + left + " OR " + right + ")";
    }
}
