package org.ternmq.selector;

/**
 * One of {@code = <> < <= > >=}. Per the specification: NULL on either side gives UNKNOWN; only like
 * types compare (numbers with numbers, exact and approximate mixed; strings with strings and booleans
 * with booleans through {@code =} and {@code <>} only); comparing values of unlike types is FALSE,
 * whatever the operator, {@code <>} included.
 */
final class Comparison implements Expression {

    /** The six comparison operators. */
    enum Operator {
        EQUAL("="), NOT_EQUAL("<>"), LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        /** @return whether the operator orders values (and so applies to numbers only) */
        boolean isOrdering() {
            return this != EQUAL && this != NOT_EQUAL;
        }

        boolean test(long x, long y) {
            switch (this) {
                case EQUAL: return x == y;
                case NOT_EQUAL: return x != y;
                case LESS: return x < y;
                case LESS_OR_EQUAL: return x <= y;
                case GREATER: return x > y;
                default: return x >= y;
            }
        }

        // Java's primitive semantics: any comparison with NaN is false except <>.
        boolean test(double x, double y) {
            switch (this) {
                case EQUAL: return x == y;
                case NOT_EQUAL: return x != y;
                case LESS: return x < y;
                case LESS_OR_EQUAL: return x <= y;
                case GREATER: return x > y;
                default: return x >= y;
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

    Comparison(Operator operator, Expression left, Expression right) {
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
        return compare(operator, l, right.evaluate(message));
    }

    /** @return the three-valued result of {@code left operator right} */
    static Boolean compare(Operator operator, Object left, Object right) {
        if (left == null || right == null) {
            return null;
        }
        int kind = NumericPromotion.promote(left, right);
        if (kind == NumericPromotion.INTEGRAL) {
            return operator.test(NumericPromotion.integral(left), NumericPromotion.integral(right));
        }
        if (kind != NumericPromotion.NONE) {
            // Widening float to double is exact, so comparing two floats as doubles loses nothing.
            return operator.test(NumericPromotion.asDouble(left), NumericPromotion.asDouble(right));
        }
        if (operator.isOrdering()) {
            return Boolean.FALSE;
        }
        boolean alike = (left instanceof String && right instanceof String)
                || (left instanceof Boolean && right instanceof Boolean);
        if (!alike) {
            return Boolean.FALSE;
        }
        return left.equals(right) == (operator == Operator.EQUAL);
    }

    @Override
    public ValueType type() {
        return ValueType.BOOLEAN;
    }

    @Override
    public String toString() {
        return "(" + left + " " + operator + " " + right + ")";
    }
}
