package org.ternmq.selector;

/**
 * One token of a selector.
 *
 * @param kind what the token is
 * @param text the token exactly as written
 * @param value the literal's value for STRING, INTEGER and FLOATING tokens, otherwise {@code null}
 * @param position 0-based index of the token's first character in the selector
 */
record Token(TokenKind kind, String text, Object value, int position) {

    /** How error messages name this token. */
    String describe() {
        switch (kind) {
            case IDENTIFIER: return "identifier '" + text + "'";
            case STRING: case INTEGER: case FLOATING: return kind.describe() + " " + text;
            case END: return kind.describe();
            default: return "'" + text + "'";
        }
    }
}
