package org.ternmq.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens, literal values and positions. */
class SelectorLexerTest {

    private static List<Token> tokens(String text) throws SelectorSyntaxException {
        SelectorLexer lexer = new SelectorLexer(text);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != TokenKind.END);
        return tokens;
    }

    private static Object valueOf(String literal) throws SelectorSyntaxException {
        List<Token> tokens = tokens(literal);
        assertThat(tokens).as(literal).hasSize(2);
        return tokens.get(0).value();
    }

    @Test
    void operatorsAndPositions() throws Exception {
        List<Token> tokens = tokens("a<>b<=c>=d<e>f=g+h-i*j/k(l,m)");
        assertThat(tokens).extracting(Token::kind).containsExactly(
                TokenKind.IDENTIFIER, TokenKind.NOT_EQUAL, TokenKind.IDENTIFIER, TokenKind.LESS_OR_EQUAL,
                TokenKind.IDENTIFIER, TokenKind.GREATER_OR_EQUAL, TokenKind.IDENTIFIER, TokenKind.LESS,
                TokenKind.IDENTIFIER, TokenKind.GREATER, TokenKind.IDENTIFIER, TokenKind.EQUAL, TokenKind.IDENTIFIER,
                TokenKind.PLUS, TokenKind.IDENTIFIER, TokenKind.MINUS, TokenKind.IDENTIFIER, TokenKind.TIMES,
                TokenKind.IDENTIFIER, TokenKind.DIVIDE, TokenKind.IDENTIFIER, TokenKind.LEFT_PAREN,
                TokenKind.IDENTIFIER, TokenKind.COMMA, TokenKind.IDENTIFIER, TokenKind.RIGHT_PAREN, TokenKind.END);
        assertThat(tokens).extracting(Token::position).startsWith(0, 1, 3, 4, 6);
        assertThat(tokens.get(tokens.size() - 1).position()).isEqualTo(29);
    }

    @Test
    void keywordsInAnyAsciiCaseOnly() throws Exception {
        assertThat(tokens("not And OR between LIKE In iS Escape NuLL true FALSE"))
                .extracting(Token::kind).containsExactly(TokenKind.NOT, TokenKind.AND, TokenKind.OR,
                        TokenKind.BETWEEN, TokenKind.LIKE, TokenKind.IN, TokenKind.IS, TokenKind.ESCAPE, TokenKind.NULL,
                        TokenKind.TRUE, TokenKind.FALSE, TokenKind.END);
        // A dotless i upper-cases to I, but "\u0131s" is an identifier, not IS.
        assertThat(tokens("\u0131s")).extracting(Token::kind).containsExactly(TokenKind.IDENTIFIER, TokenKind.END);
    }

    @Test
    void stringLiterals() throws Exception {
        assertThat(valueOf("'it''s'")).isEqualTo("it's");
        assertThat(valueOf("''")).isEqualTo("");
        assertThat(valueOf("''''")).isEqualTo("'");
        assertThat(valueOf("'a\nb'")).isEqualTo("a\nb");
        assertThat(tokens("'x'")).first().extracting(Token::text).isEqualTo("'x'");
    }

    @Test
    void integerLiterals() throws Exception {
        assertThat(valueOf("0")).isEqualTo(BigInteger.ZERO);
        assertThat(valueOf("42")).isEqualTo(BigInteger.valueOf(42));
        assertThat(valueOf("42L")).isEqualTo(BigInteger.valueOf(42));
        assertThat(valueOf("42l")).isEqualTo(BigInteger.valueOf(42));
        assertThat(valueOf("035")).isEqualTo(BigInteger.valueOf(29));
        assertThat(valueOf("0x1d")).isEqualTo(BigInteger.valueOf(29));
        assertThat(valueOf("0X1DL")).isEqualTo(BigInteger.valueOf(29));
        assertThat(valueOf("0b11101")).isEqualTo(BigInteger.valueOf(29));
        assertThat(valueOf("0x8000000000000000")).isEqualTo(BigInteger.valueOf(Long.MIN_VALUE));
        assertThat(valueOf("9223372036854775808")).as("range is checked by the parser, which knows about signs")
                .isEqualTo(BigInteger.ONE.shiftLeft(63));
    }

    @Test
    void floatingLiterals() throws Exception {
        assertThat(valueOf("7E3")).isEqualTo(7000.0);
        assertThat(valueOf("57.9e-1")).isEqualTo(5.79);
        assertThat(valueOf("7.")).isEqualTo(7.0);
        assertThat(valueOf(".5")).isEqualTo(0.5);
        assertThat(valueOf("1.5f")).isEqualTo(1.5f);
        assertThat(valueOf("2D")).isEqualTo(2.0);
        assertThat(valueOf("3F")).isEqualTo(3.0f);
        assertThat(valueOf("1e+2")).isEqualTo(100.0);
        assertThat(valueOf("08.5")).as("a leading zero is not octal in a floating literal").isEqualTo(8.5);
    }

    @Test
    void whitespaceIsJavas() throws Exception {
        assertThat(tokens(" \t\f\r\n a \n")).extracting(Token::kind).containsExactly(TokenKind.IDENTIFIER, TokenKind.END);
        assertThatThrownBy(() -> tokens("a\u00A0= 1")).as("no-break space is not selector whitespace")
                .isInstanceOf(SelectorSyntaxException.class);
    }

    @Test
    void malformedLiteralsAreReportedAtTheirStart() {
        assertThatThrownBy(() -> tokens("a = 12abc")).isInstanceOfSatisfying(SelectorSyntaxException.class,
                e -> assertThat(e.position()).isEqualTo(4));
        assertThatThrownBy(() -> tokens("x 'open")).isInstanceOfSatisfying(SelectorSyntaxException.class,
                e -> assertThat(e.position()).isEqualTo(2));
    }
}
