package org.ternmq.selector;

/** {@code a AND b} in three-valued logic; b is not evaluated when a is FALSE. */
final class LogicalAnd implements Expression {

    private final Expression left;
    private final Expression right;

    LogicalAnd(Expression left, Expression right) {
        this.left = left;
        this.right = right;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Boolean l = TruthValues.of(left.evaluate(message));
        if (l == Boolean.FALSE) {
            return Boolean.FALSE;
        }
        return TruthValues.and(l, TruthValues.of(right.evaluate(message)));
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + left + " AND " + right + ")";
    }
}
