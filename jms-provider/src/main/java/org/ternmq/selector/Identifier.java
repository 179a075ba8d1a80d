package org.ternmq.selector;

/** A reference to a header field or property; NULL when the message has none of that name. */
final class Identifier implements Expression {

    private final String name;

    Identifier(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    @Override
    public Object evaluate(SelectorContext message) {
        return message.identifier(name);
    }

    @Override
    public ValueType type() {
        return ValueType.ANY;
    }

    @Override
    public String toString() {
        return name;
    }
}
