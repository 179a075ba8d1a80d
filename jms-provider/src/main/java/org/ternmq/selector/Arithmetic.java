package org.ternmq.selector;

/** A binary arithmetic operation; NULL when either operand is NULL or not a number. */
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

    private final Operator operator;
    private final Expression left;
    private final Expression right;

    Arithmetic(Operator operator, Expression left, Expression right) {
        this.operator = operator;
        this.left = left;
        this.right = right;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Object l = left.evaluate(message);
        if (l == null) {
            return null;
        }
        Object r = right.evaluate(message);
        if (r == null) {
            return null;
        }
        return operator.apply(l, r);
    }

    @Override
    public ValueType type() {
        return ValueType.NUMBER;
    }

    @Override
    public String toString() {
        return "(" + left + " " + operator + " " + right + ")";
    }
}
