package org.ternmq.selector;

/** {@code NOT a} in three-valued logic: UNKNOWN stays UNKNOWN. */
final class LogicalNot implements Expression {

    private final Expression operand;

    LogicalNot(Expression operand) {
        this.operand = operand;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        return TruthValues.not(TruthValues.of(operand.evaluate(message)));
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(NOT " + operand + ")";
    }
}
