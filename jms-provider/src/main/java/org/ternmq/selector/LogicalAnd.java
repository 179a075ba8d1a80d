package org.ternmq.selector;

import java.util.List;
import java.util.StringJoiner;

/**
 * {@code a AND b AND ...} in three-valued logic. A chain is one node evaluated in a loop, so a generated
 * selector with thousands of terms does not make a deep tree; evaluation stops at the first FALSE.
 */
final class LogicalAnd implements Expression {

    private final Expression[] operands;

    LogicalAnd(List<Expression> operands) {
        this.operands = operands.toArray(new Expression[0]);
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Boolean result = Boolean.TRUE;
        for (Expression operand : operands) {
            Boolean value = TruthValues.of(operand.evaluate(message));
            if (value == Boolean.FALSE) {
                return Boolean.FALSE;
            }
            result = TruthValues.and(result, value);
        }
        return result;
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(" AND ", "(", ")");
        for (Expression operand : operands) {
            text.add(operand.toString());
        }
        return text.toString();
    }
}
