package org.ternmq.selector;

/** The kinds of token in a selector. Keywords are matched case-insensitively by the lexer. */
enum TokenKind {
    IDENTIFIER("an identifier"),
    STRING("a string literal"),
    /** Value: a {@code BigInteger}, range-checked by the parser once it knows whether a minus applies. */
    INTEGER("an integer literal"),
    /** Value: a {@code Float} or {@code Double}. */
    FLOATING("a floating-point literal"),
    NOT("NOT"), AND("AND"), OR("OR"), BETWEEN("BETWEEN"), LIKE("LIKE"), IN("IN"), IS("IS"), ESCAPE("ESCAPE"),
    NULL("NULL"), TRUE("TRUE"), FALSE("FALSE"),
    EQUAL("'='"), NOT_EQUAL("'<>'"), LESS("'<'"), LESS_OR_EQUAL("'<='"), GREATER("'>'"), GREATER_OR_EQUAL("'>='"),
    PLUS("'+'"), MINUS("'-'"), TIMES("'*'"), DIVIDE("'/'"),
    LEFT_PAREN("'('"), RIGHT_PAREN("')'"), COMMA("','"),
    END("the end of the selector");

    private final String description;

    TokenKind(String description) {
        this.description = description;
    }

    /** How error messages name this kind of token. */
    String describe() {
        return description;
    }

    /** @return the keyword spelled by an identifier-shaped word, or {@link #IDENTIFIER} if it is none */
    static TokenKind ofWord(String word) {
        // Only ASCII letters spell keywords: a Unicode case mapping (say a Turkish dotless i) must not.
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return IDENTIFIER;
            }
        }
        switch (word.toUpperCase(java.util.Locale.ROOT)) {
            case "NOT": return NOT;
            case "AND": return AND;
            case "OR": return OR;
            case "BETWEEN": return BETWEEN;
            case "LIKE": return LIKE;
            case "IN": return IN;
            case "IS": return IS;
            case "ESCAPE": return ESCAPE;
            case "NULL": return NULL;
            case "TRUE": return TRUE;
            case "FALSE": return FALSE;
            default: return IDENTIFIER;
        }
    }
}
