package org.ternmq.selector;

/**
 * Unary plus or minus applied to something that is not a literal (minus on a literal is folded by the
 * parser). Unary plus still checks that its operand is a number, so {@code +stringProp} is NULL.
 */
final class UnarySign implements Expression {

    private final boolean negate;
    private final Expression operand;

    UnarySign(boolean negate, Expression operand) {
        this.negate = negate;
        this.operand = operand;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        Object value = operand.evaluate(message);
        if (negate) {
            return NumericPromotion.negate(value);
        }
        return NumericPromotion.kind(value) == NumericPromotion.NONE ? null : value;
    }

    @Override
    public ValueType type() {
        return ValueType.NUMBER;
    }

    @Override
    public String toString() {
        return (negate ? "-" : "+") + operand;
    }
}
