package org.ternmq.selector;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the Jakarta Messaging 3.1 selector grammar (section 3.8.1.1), checking
 * types as it goes so that selectors which can never be meaningful are rejected when presented.
 * Precedence, loosest first:
 *
 * <pre>
 * selector       := or EOF                          (must be a condition or a bare identifier)
 * or             := and ( OR and )*
 * and            := not ( AND not )*
 * not            := NOT not | predicate
 * predicate      := sum [ ( = | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;= ) sum
 *                       | [NOT] BETWEEN sum AND sum
 *                       | [NOT] IN ( string [, string]* )      (left side: an identifier)
 *                       | [NOT] LIKE string [ESCAPE string]    (left side: an identifier)
 *                       | IS [NOT] NULL ]                      (left side: an identifier)
 * sum            := product ( ( + | - ) product )*
 * product        := unary ( ( * | / ) unary )*
 * unary          := ( + | - ) unary | primary
 * primary        := identifier | string | integer | floating | TRUE | FALSE | ( or )
 * </pre>
 *
 * NULL is not a value: it appears only in {@code IS [NOT] NULL}, so {@code NULL = 0} is a syntax error,
 * as are {@code TRUE = 0} (unlike literal types) and every other reserved word used as an identifier.
 * Used once per {@link Selector#parse}, by one thread.
 */
final class SelectorParser {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** Deepest nesting of parentheses, NOT and unary signs accepted. */
    static final int MAX_NESTING = 200;

    private final String text;
    private final SelectorLexer lexer;
    /** The one token of lookahead. */
    private Token current;
    private int nesting;

    private SelectorParser(String text) throws SelectorSyntaxException {
        this.text = text;
        this.lexer = new SelectorLexer(text);
        this.current = lexer.next();
    }

    /** @return the expression tree of a non-blank selector */
    static Expression parse(String text) throws SelectorSyntaxException {
        SelectorParser parser = new SelectorParser(text);
        Token first = parser.peek();
        Expression root = parser.or();
        parser.expect(TokenKind.END, "an operator or the end of the selector");
        if (!root.type().canBe(ValueType.BOOLEAN)) {
            throw parser.error("a selector must be a condition, not " + root.type().describe(), first);
        }
        return root;
    }

    private Expression or() throws SelectorSyntaxException {
        Expression first = and();
        if (peek().kind() != TokenKind.OR) {
            return first;
        }
        List<Expression> operands = new ArrayList<>();
        operands.add(condition(first, peek()));
        while (peek().kind() == TokenKind.OR) {
            Token operator = advance();
            operands.add(condition(and(), operator));
        }
        return LogicalChain.or(operands);
    }

    private Expression and() throws SelectorSyntaxException {
        Expression first = not();
        if (peek().kind() != TokenKind.AND) {
            return first;
        }
        List<Expression> operands = new ArrayList<>();
        operands.add(condition(first, peek()));
        while (peek().kind() == TokenKind.AND) {
            Token operator = advance();
            operands.add(condition(not(), operator));
        }
        return LogicalChain.and(operands);
    }

    private Expression not() throws SelectorSyntaxException {
        if (peek().kind() == TokenKind.NOT) {
            Token operator = advance();
            enter(operator);
            Expression operand = condition(not(), operator);
            nesting--;
            return new LogicalNot(operand);
        }
        return predicate();
    }

    private Expression predicate() throws SelectorSyntaxException {
        Token start = peek();
        Expression left = sum();
        Token operator = peek();
        switch (operator.kind()) {
            case EQUAL: return comparison(Comparison.Operator.EQUAL, left, start);
            case NOT_EQUAL: return comparison(Comparison.Operator.NOT_EQUAL, left, start);
            case LESS: return comparison(Comparison.Operator.LESS, left, start);
            case LESS_OR_EQUAL: return comparison(Comparison.Operator.LESS_OR_EQUAL, left, start);
            case GREATER: return comparison(Comparison.Operator.GREATER, left, start);
            case GREATER_OR_EQUAL: return comparison(Comparison.Operator.GREATER_OR_EQUAL, left, start);
            case IS: return isNull(left, start);
            case BETWEEN: case IN: case LIKE: return negatable(left, start, false);
            case NOT:
                advance();
                TokenKind next = peek().kind();
                if (next != TokenKind.BETWEEN && next != TokenKind.IN && next != TokenKind.LIKE) {
                    throw error("expected BETWEEN, IN or LIKE after NOT, found " + peek().describe(), peek());
                }
                return negatable(left, start, true);
            default: return left;
        }
    }

    private Expression comparison(Comparison.Operator operator, Expression left, Token leftStart)
            throws SelectorSyntaxException {
        Token token = advance();
        Token rightStart = peek();
        Expression right = sum();
        if (operator.isOrdering()) {
            number(left, leftStart);
            number(right, rightStart);
        } else if (!left.type().comparableWith(right.type())) {
            throw error("cannot compare " + left.type().describe() + " with " + right.type().describe(), token);
        }
        return new Comparison(operator, left, right);
    }

    private Expression negatable(Expression left, Token start, boolean negated) throws SelectorSyntaxException {
        Token operator = advance();
        switch (operator.kind()) {
            case BETWEEN: return between(left, start, negated);
            case IN: return new InList(identifier(left, start, operator), stringList(), negated);
            default: return like(identifier(left, start, operator), negated);
        }
    }

    private Expression between(Expression value, Token start, boolean negated) throws SelectorSyntaxException {
        number(value, start);
        Token lowStart = peek();
        Expression low = number(sum(), lowStart);
        expect(TokenKind.AND, "AND between the bounds of BETWEEN");
        Token highStart = peek();
        Expression high = number(sum(), highStart);
        return new Between(value, low, high, negated);
    }

    private List<String> stringList() throws SelectorSyntaxException {
        expect(TokenKind.LEFT_PAREN, "'(' after IN");
        List<String> items = new ArrayList<>();
        do {
            items.add((String) expect(TokenKind.STRING, "a string literal in the IN list").value());
        } while (accept(TokenKind.COMMA));
        expect(TokenKind.RIGHT_PAREN, "',' or ')' in the IN list");
        return items;
    }

    private Expression like(Identifier identifier, boolean negated) throws SelectorSyntaxException {
        Token patternToken = expect(TokenKind.STRING, "a string literal pattern after LIKE");
        int escape = -1;
        if (accept(TokenKind.ESCAPE)) {
            Token escapeToken = expect(TokenKind.STRING, "a string literal after ESCAPE");
            String value = (String) escapeToken.value();
            if (value.isEmpty() || value.codePointCount(0, value.length()) != 1) {
                throw error("the ESCAPE string must be exactly one character", escapeToken);
            }
            escape = value.codePointAt(0);
        }
        try {
            return new Like(identifier, LikePattern.compile((String) patternToken.value(), escape), negated);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage(), patternToken);
        }
    }

    private Expression isNull(Expression left, Token start) throws SelectorSyntaxException {
        Token operator = advance();
        boolean negated = accept(TokenKind.NOT);
        expect(TokenKind.NULL, negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
        return new IsNull(identifier(left, start, operator), negated);
    }

    private Expression sum() throws SelectorSyntaxException {
        return chain(false);
    }

    /** A left-associative chain of {@code + -} ({@code multiplicative} false) or {@code * /} operations. */
    private Expression chain(boolean multiplicative) throws SelectorSyntaxException {
        Token firstStart = peek();
        Expression first = multiplicative ? unary() : chain(true);
        List<Arithmetic.Operator> operators = new ArrayList<>();
        List<Expression> operands = new ArrayList<>();
        while (true) {
            Arithmetic.Operator operator = arithmeticOperator(peek().kind(), multiplicative);
            if (operator == null) {
                break;
            }
            if (operators.isEmpty()) {
                number(first, firstStart);
            }
            advance();
            Token operandStart = peek();
            operators.add(operator);
            operands.add(number(multiplicative ? unary() : chain(true), operandStart));
        }
        return operators.isEmpty() ? first : new Arithmetic(first, operators, operands);
    }

    private static Arithmetic.Operator arithmeticOperator(TokenKind kind, boolean multiplicative) {
        switch (kind) {
            case PLUS: return multiplicative ? null : Arithmetic.Operator.ADD;
            case MINUS: return multiplicative ? null : Arithmetic.Operator.SUBTRACT;
            case TIMES: return multiplicative ? Arithmetic.Operator.MULTIPLY : null;
            case DIVIDE: return multiplicative ? Arithmetic.Operator.DIVIDE : null;
            default: return null;
        }
    }

    private Expression unary() throws SelectorSyntaxException {
        TokenKind kind = peek().kind();
        if (kind != TokenKind.PLUS && kind != TokenKind.MINUS) {
            return primary();
        }
        Token sign = advance();
        boolean negate = kind == TokenKind.MINUS;
        Token operand = peek();
        // Fold a sign into the literal it precedes: that is how -9223372036854775808 (Long.MIN_VALUE),
        // whose magnitude is no long, can be written at all.
        if (operand.kind() == TokenKind.INTEGER) {
            advance();
            BigInteger value = (BigInteger) operand.value();
            return integerLiteral(negate ? value.negate() : value, operand);
        }
        if (operand.kind() == TokenKind.FLOATING) {
            advance();
            Object value = operand.value();
            return new Literal(negate ? NumericPromotion.negate(value) : value, ValueType.NUMBER);
        }
        enter(sign);
        Expression value = number(unary(), sign);
        nesting--;
        return new UnarySign(negate, value);
    }

    private Expression primary() throws SelectorSyntaxException {
        Token token = advance();
        switch (token.kind()) {
            case IDENTIFIER: return new Identifier(token.text());
            case STRING: return new Literal(token.value(), ValueType.STRING);
            case INTEGER: return integerLiteral((BigInteger) token.value(), token);
            case FLOATING: return new Literal(token.value(), ValueType.NUMBER);
            case TRUE: return new Literal(Boolean.TRUE, ValueType.BOOLEAN);
            case FALSE: return new Literal(Boolean.FALSE, ValueType.BOOLEAN);
            case LEFT_PAREN: {
                enter(token);
                Expression inner = or();
                expect(TokenKind.RIGHT_PAREN, "')'");
                nesting--;
                return inner;
            }
            case NULL:
                throw error("NULL may only be used in IS NULL or IS NOT NULL", token);
            case NOT: case AND: case OR: case BETWEEN: case LIKE: case IN: case IS: case ESCAPE:
                throw error("reserved word " + token.text().toUpperCase(java.util.Locale.ROOT)
                        + " cannot be used as an identifier or value", token);
            default:
                throw error("expected an identifier, a literal or '(', found " + token.describe(), token);
        }
    }

    private Literal integerLiteral(BigInteger value, Token token) throws SelectorSyntaxException {
        if (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
            throw error("integer literal out of the range of long", token);
        }
        return new Literal(value.longValue(), ValueType.NUMBER);
    }

    /** @return {@code expression}, checked to be usable as a condition by {@code operator} */
    private Expression condition(Expression expression, Token operator) throws SelectorSyntaxException {
        if (!expression.type().canBe(ValueType.BOOLEAN)) {
            throw error(operator.text().toUpperCase(java.util.Locale.ROOT) + " needs conditions, not "
                    + expression.type().describe(), operator);
        }
        return expression;
    }

    /** @return {@code expression}, checked to be usable as a number by an arithmetic or ordering operator */
    private Expression number(Expression expression, Token where) throws SelectorSyntaxException {
        if (!expression.type().canBe(ValueType.NUMBER)) {
            throw error("expected a number, found " + expression.type().describe(), where);
        }
        return expression;
    }

    private Identifier identifier(Expression left, Token start, Token operator) throws SelectorSyntaxException {
        if (!(left instanceof Identifier)) {
            throw error("the left side of " + operator.text().toUpperCase(java.util.Locale.ROOT)
                    + " must be an identifier", start);
        }
        return (Identifier) left;
    }

    /**
     * Counts one more level of parentheses, NOT or sign, refusing selectors nested so deeply that parsing
     * or evaluating them could overflow a thread's stack (a client must not be able to do that to the
     * broker). Chains of AND, OR and arithmetic are flat nodes and do not count.
     */
    private void enter(Token where) throws SelectorSyntaxException {
        if (++nesting > MAX_NESTING) {
            throw error("the selector is nested more than " + MAX_NESTING + " levels deep", where);
        }
    }

    private Token peek() {
        return current;
    }

    private Token advance() throws SelectorSyntaxException {
        Token token = current;
        if (token.kind() != TokenKind.END) {
            current = lexer.next();
        }
        return token;
    }

    private boolean accept(TokenKind kind) throws SelectorSyntaxException {
        if (peek().kind() == kind) {
            advance();
            return true;
        }
        return false;
    }

    private Token expect(TokenKind kind, String what) throws SelectorSyntaxException {
        Token token = peek();
        if (token.kind() != kind) {
            throw error("expected " + what + ", found " + token.describe(), token);
        }
        return advance();
    }

    private SelectorSyntaxException error(String problem, Token where) {
        return new SelectorSyntaxException(problem, text, where.position());
    }
}
