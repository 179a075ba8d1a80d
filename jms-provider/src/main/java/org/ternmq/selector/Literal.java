package org.ternmq.selector;

/** A string, numeric or boolean literal. */
final class Literal implements Expression {

    private final Object value;
    private final ValueType type;

    Literal(Object value, ValueType type) {
        this.value = value;
        this.type = type;
    }

    Object value() {
        return value;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        return value;
    }

    @Override
    public ValueType type() {
        return type;
    }

    @Override
    public String toString() {
        return value instanceof String ? "'" + ((String) value).replace("'", "''") + "'" : String.valueOf(value);
    }
}
