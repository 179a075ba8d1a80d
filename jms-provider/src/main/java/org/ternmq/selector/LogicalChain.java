package org.ternmq.selector;

import java.util.List;
import java.util.StringJoiner;

/**
 * {@code a AND b AND ...} or {@code a OR b OR ...} in three-valued logic. A chain is one node evaluated in a
 * loop, so a generated selector with thousands of terms (such as {@code id = 1 OR id = 2 OR ...}) does not make
 * a deep tree; evaluation stops at the first operand that decides the chain (FALSE for AND, TRUE for OR).
 */
final class LogicalChain implements Expression {

    private final Expression[] operands;
    private final boolean and;
    /** The value that ends an AND chain (FALSE) or an OR chain (TRUE) at once. */
    private final Boolean decisive;

    private LogicalChain(List<Expression> operands, boolean and) {
        this.operands = operands.toArray(new Expression[0]);
        this.and = and;
        this.decisive = !and;
    }

    static LogicalChain and(List<Expression> operands) {
        return new LogicalChain(operands, true);
    }

    static LogicalChain or(List<Expression> operands) {
        return new LogicalChain(operands, false);
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Boolean result = !decisive;
        for (Expression operand : operands) {
            Boolean value = TruthValues.of(operand.evaluate(message));
            if (value == decisive) {
                return decisive;
            }
            result = and ? TruthValues.and(result, value) : TruthValues.or(result, value);
        }
        return result;
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(and ? " AND " : " OR ", "(", ")");
        for (Expression operand : operands) {
            text.add(operand.toString());
        }
        return text.toString();
    }
}
