package org.ternmq.selector;

import java.util.List;

/**
 * A left-associative chain of additions and subtractions, or of multiplications and divisions:
 * {@code a op1 b op2 c ...} computed as {@code ((a op1 b) op2 c) ...} in a loop rather than as a deep
 * tree. NULL as soon as an operand or an intermediate result is NULL or not a number.
 */
final class Arithmetic implements Expression {

    /** The four binary operators. */
    enum Operator {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        Object apply(Object left, Object right) {
            switch (this) {
                case ADD: return NumericPromotion.add(left, right);
                case SUBTRACT: return NumericPromotion.subtract(left, right);
                case MULTIPLY: return NumericPromotion.multiply(left, right);
                default: return NumericPromotion.divide(left, right);
            }
        }

        @Override
        public String toString() {
            return symbol;
        }
    }

    private final Expression first;
    private final Operator[] operators;
    private final Expression[] operands;

    /** @param operators one per operand after {@code first}: {@code first operators[0] operands[0] ...} */
    Arithmetic(Expression first, List<Operator> operators, List<Expression> operands) {
        if (operators.size() != operands.size() || operators.isEmpty()) {
            throw new IllegalArgumentException("one operator per operand after the first is needed");
        }
        this.first = first;
        this.operators = operators.toArray(new Operator[0]);
        this.operands = operands.toArray(new Expression[0]);
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Object result = first.evaluate(message);
        for (int i = 0; i < operands.length && result != null; i++) {
            Object operand = operands[i].evaluate(message);
            result = operand == null ? null : operators[i].apply(result, operand);
        }
        return result;
    }

    @Override
    public ValueType type() {
        return ValueType.NUMBER;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("(").append(first);
        for (int i = 0; i < operands.length; i++) {
            text.append(' ').append(operators[i]).append(' ').append(operands[i]);
        }
        return text.append(')').toString();
    }
}
