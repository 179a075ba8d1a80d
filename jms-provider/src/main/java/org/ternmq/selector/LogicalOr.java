package org.ternmq.selector;

import java.util.List;
import java.util.StringJoiner;

/**
 * {@code a OR b OR ...} in three-valued logic. A chain is one node evaluated in a loop (selectors such as
 * {@code id = 1 OR id = 2 OR ...} are often generated with thousands of terms); evaluation stops at the
 * first TRUE.
 */
final class LogicalOr implements Expression {

    private final Expression[] operands;

    LogicalOr(List<Expression> operands) {
        this.operands = operands.toArray(new Expression[0]);
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Boolean result = Boolean.FALSE;
        for (Expression operand : operands) {
            Boolean value = TruthValues.of(operand.evaluate(message));
            if (value == Boolean.TRUE) {
                return Boolean.TRUE;
            }
            result = TruthValues.or(result, value);
        }
        return result;
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(" OR ", "(", ")");
        for (Expression operand : operands) {
            text.add(operand.toString());
        }
        return text.toString();
    }
}
