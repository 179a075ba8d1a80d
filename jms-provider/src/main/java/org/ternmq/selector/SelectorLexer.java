package org.ternmq.selector;

import java.math.BigInteger;

/**
 * Splits selector text into tokens. Literals follow the Java syntax the specification refers to:
 * strings in single quotes with {@code ''} for a quote; integers in decimal, octal ({@code 035}),
 * hexadecimal ({@code 0x1d}) or binary ({@code 0b11101}) with an optional {@code L}; floating-point
 * numbers such as {@code 7.}, {@code .5}, {@code -57.9E3} or {@code 1.5f}. Whitespace is Java's: space,
 * tab, form feed and line terminators. Used by one parser, on one thread.
 */
final class SelectorLexer {

    private final String text;
    private int pos;

    SelectorLexer(String text) {
        this.text = text;
    }

    /**
     * Reads the next token. Tokens are produced on demand so that the parser rejects a huge malformed
     * selector at its first error without tokenizing the rest.
     *
     * @return the next token; {@link TokenKind#END} (again and again) at the end of the text
     */
    Token next() throws SelectorSyntaxException {
        skipWhitespace();
        int start = pos;
        if (pos >= text.length()) {
            return new Token(TokenKind.END, "", null, start);
        }
        char c = text.charAt(pos);
        if (c == '\'') {
            return string();
        }
        if ((c >= '0' && c <= '9') || (c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
            return number();
        }
        int cp = text.codePointAt(pos);
        if (Character.isJavaIdentifierStart(cp)) {
            return word();
        }
        pos++;
        switch (c) {
            case '=': return symbol(TokenKind.EQUAL, start);
            case '+': return symbol(TokenKind.PLUS, start);
            case '-': return symbol(TokenKind.MINUS, start);
            case '*': return symbol(TokenKind.TIMES, start);
            case '/': return symbol(TokenKind.DIVIDE, start);
            case '(': return symbol(TokenKind.LEFT_PAREN, start);
            case ')': return symbol(TokenKind.RIGHT_PAREN, start);
            case ',': return symbol(TokenKind.COMMA, start);
            case '<':
                if (consume('>')) {
                    return symbol(TokenKind.NOT_EQUAL, start);
                }
                return symbol(consume('=') ? TokenKind.LESS_OR_EQUAL : TokenKind.LESS, start);
            case '>':
                return symbol(consume('=') ? TokenKind.GREATER_OR_EQUAL : TokenKind.GREATER, start);
            default:
                throw new SelectorSyntaxException(
                        "unexpected character '" + new String(Character.toChars(cp)) + "'", text, start);
        }
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\f' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean consume(char expected) {
        if (pos < text.length() && text.charAt(pos) == expected) {
            pos++;
            return true;
        }
        return false;
    }

    private Token symbol(TokenKind kind, int start) {
        return new Token(kind, text.substring(start, pos), null, start);
    }

    private Token string() throws SelectorSyntaxException {
        int start = pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new SelectorSyntaxException("unterminated string literal", text, start);
            }
            char c = text.charAt(pos++);
            if (c == '\'') {
                if (!consume('\'')) {
                    return new Token(TokenKind.STRING, text.substring(start, pos), value.toString(), start);
                }
            }
            value.append(c);
        }
    }

    private Token word() {
        int start = pos;
        pos += Character.charCount(text.codePointAt(pos));
        while (pos < text.length() && Character.isJavaIdentifierPart(text.codePointAt(pos))) {
            pos += Character.charCount(text.codePointAt(pos));
        }
        String word = text.substring(start, pos);
        return new Token(TokenKind.ofWord(word), word, null, start);
    }

    private Token number() throws SelectorSyntaxException {
        int start = pos;
        if (text.charAt(pos) == '0' && pos + 1 < text.length() && "xXbB".indexOf(text.charAt(pos + 1)) >= 0) {
            return radixInteger(start);
        }
        skipDigits();
        boolean floating = false;
        if (consume('.')) {
            floating = true;
            skipDigits();
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            floating = true;
            pos++;
            if (!consume('+')) {
                consume('-');
            }
            if (skipDigits() == 0) {
                throw new SelectorSyntaxException("malformed number: exponent has no digits", text, start);
            }
        }
        if (pos < text.length() && "fFdD".indexOf(text.charAt(pos)) >= 0) {
            return floating(start, text.charAt(pos++));
        }
        if (floating) {
            return floating(start, 'd');
        }
        boolean suffixed = consume('l') || consume('L');
        String digits = text.substring(start, suffixed ? pos - 1 : pos);
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            return integer(start, digits.substring(1), 8, "octal");
        }
        return integer(start, digits, 10, "decimal");
    }

    private Token radixInteger(int start) throws SelectorSyntaxException {
        boolean hex = text.charAt(pos + 1) == 'x' || text.charAt(pos + 1) == 'X';
        pos += 2;
        int digitsStart = pos;
        while (pos < text.length() && Character.digit(text.charAt(pos), hex ? 16 : 2) >= 0) {
            pos++;
        }
        String digits = text.substring(digitsStart, pos);
        if (!consume('l')) {
            consume('L');
        }
        return integer(start, digits, hex ? 16 : 2, hex ? "hexadecimal" : "binary");
    }

    /** Octal, hexadecimal and binary literals may use all 64 bits, as in Java; decimal ones are signed. */
    private Token integer(int start, String digits, int radix, String name) throws SelectorSyntaxException {
        checkNumberEnds(start);
        BigInteger value;
        try {
            value = new BigInteger(digits, radix);
        } catch (NumberFormatException e) {
            throw new SelectorSyntaxException("malformed " + name + " integer literal", text, start);
        }
        if (radix != 10) {
            if (value.bitLength() > 64) {
                throw new SelectorSyntaxException(name + " integer literal does not fit in a long", text, start);
            }
            value = BigInteger.valueOf(value.longValue());
        }
        return new Token(TokenKind.INTEGER, text.substring(start, pos), value, start);
    }

    private Token floating(int start, char suffix) throws SelectorSyntaxException {
        checkNumberEnds(start);
        String literal = text.substring(start, pos);
        Object value;
        boolean infinite;
        // parseDouble/parseFloat accept the literal as Java writes it, suffix included.
        if (suffix == 'f' || suffix == 'F') {
            float f = Float.parseFloat(literal);
            value = f;
            infinite = Float.isInfinite(f);
        } else {
            double d = Double.parseDouble(literal);
            value = d;
            infinite = Double.isInfinite(d);
        }
        if (infinite) {
            throw new SelectorSyntaxException("floating-point literal out of range", text, start);
        }
        return new Token(TokenKind.FLOATING, literal, value, start);
    }

    /** A number glued to letters, digits or another dot ({@code 1.2.3}, {@code 5abc}) is malformed. */
    private void checkNumberEnds(int start) throws SelectorSyntaxException {
        if (pos < text.length()
                && (text.charAt(pos) == '.' || Character.isJavaIdentifierPart(text.codePointAt(pos)))) {
            throw new SelectorSyntaxException("malformed number", text, start);
        }
    }

    private int skipDigits() {
        int start = pos;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        return pos - start;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
