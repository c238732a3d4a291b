package io.consentvault.vault.query;

import java.util.Locale;

/**
 * Splits a clause into tokens, one at a time as the parser asks, so that the leftmost error is the one reported.
 * Works on code points; positions are code point offsets. Single use, not thread-safe.
 */
final class Lexer {

    enum Kind {
        /** A name or a keyword: {@code [A-Za-z_][A-Za-z0-9_]*}. */
        WORD,
        /** A quoted string; {@link Token#text} is its value, quotes undoubled. */
        STRING,
        /** An optional minus and decimal digits; {@link Token#text} is as written. */
        INTEGER,
        /** A comparison operator, {@link Token#op}. */
        OPERATOR, LPAREN, RPAREN, COMMA, END
    }

    /** A token: its kind, where it starts and ends (exclusive), its text or operator. */
    record Token(Kind kind, int start, int end, String text, Expr.Op op) {
    }

    private final int[] cps;
    private int pos;

    /** A lexer over the code points from offset {@code from} on. */
    Lexer(int[] codePoints, int from) {
        this.cps = codePoints;
        this.pos = from;
    }

    /** The source from {@code start} to {@code end}, shortened for a message. */
    String source(int start, int end) {
        int stop = Math.min(end, start + 40);
        String s = new String(cps, start, stop - start);
        return stop < end ? s + "..." : s;
    }

    /** The first offset at or after {@code from} that is not white space. */
    int skipSpace(int from) {
        int i = from;
        while (i < cps.length && isSpace(cps[i])) {
            i++;
        }
        return i;
    }

    Token next() {
        pos = skipSpace(pos);
        int start = pos;
        if (pos >= cps.length) {
            return new Token(Kind.END, start, start, "", null);
        }
        int c = cps[pos];
        if (isWordStart(c)) {
            while (pos < cps.length && isWordPart(cps[pos])) {
                pos++;
            }
            return new Token(Kind.WORD, start, pos, new String(cps, start, pos - start), null);
        }
        if (isDigit(c) || (c == '-' && pos + 1 < cps.length && isDigit(cps[pos + 1]))) {
            return integer(start);
        }
        switch (c) {
            case '\'' :
            case '"' :
                return string(start, c);
            case '(' :
                return single(Kind.LPAREN, start);
            case ')' :
                return single(Kind.RPAREN, start);
            case ',' :
                return single(Kind.COMMA, start);
            case '=' :
                return operator(start, 1, Expr.Op.EQ);
            case '<' :
                if (peek(1) == '=') {
                    return operator(start, 2, Expr.Op.LE);
                }
                return peek(1) == '>' ? operator(start, 2, Expr.Op.NE) : operator(start, 1, Expr.Op.LT);
            case '>' :
                return peek(1) == '=' ? operator(start, 2, Expr.Op.GE) : operator(start, 1, Expr.Op.GT);
            case '!' :
                if (peek(1) == '=') {
                    return operator(start, 2, Expr.Op.NE);
                }
                break;
            case ';' :
                throw new QueryException("';' is not allowed: a clause is one condition, not statements", start);
            case '-' :
                if (peek(1) == '-') {
                    throw new QueryException("comments are not allowed", start);
                }
                break;
            case '/' :
                if (peek(1) == '*') {
                    throw new QueryException("comments are not allowed", start);
                }
                break;
            default :
                break;
        }
        throw new QueryException("unexpected character " + describe(c), start);
    }

    private Token integer(int start) {
        if (cps[pos] == '-') {
            pos++;
        }
        while (pos < cps.length && isDigit(cps[pos])) {
            pos++;
        }
        if (pos < cps.length && (isWordPart(cps[pos]) || cps[pos] == '.')) {
            throw new QueryException("invalid number: integers only, written with decimal digits", start);
        }
        return new Token(Kind.INTEGER, start, pos, new String(cps, start, pos - start), null);
    }

    private Token string(int start, int quote) {
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= cps.length) {
                throw new QueryException("unterminated string: the quote is never closed", start);
            }
            int c = cps[pos];
            if (c == quote) {
                if (peek(1) == quote) {
                    value.appendCodePoint(c);
                    pos += 2;
                    continue;
                }
                pos++;
                return new Token(Kind.STRING, start, pos, value.toString(), null);
            }
            if (c == 0) {
                throw new QueryException("a string may not contain the NUL character", pos);
            }
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                throw new QueryException("invalid character " + describe(c) + " (an unpaired surrogate)", pos);
            }
            value.appendCodePoint(c);
            pos++;
        }
    }

    private Token single(Kind kind, int start) {
        pos++;
        return new Token(kind, start, pos, null, null);
    }

    private Token operator(int start, int length, Expr.Op op) {
        pos += length;
        return new Token(Kind.OPERATOR, start, pos, null, op);
    }

    private int peek(int ahead) {
        int i = pos + ahead;
        return i < cps.length ? cps[i] : -1;
    }

    /** The character in quotes when visible, with its code point when not ASCII; invisible ones as U+XXXX. */
    static String describe(int c) {
        int type = Character.getType(c);
        if (Character.isISOControl(c) || Character.isSpaceChar(c) || Character.isWhitespace(c)
                || type == Character.FORMAT || type == Character.SURROGATE || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED) {
            return String.format(Locale.ROOT, "U+%04X", c);
        }
        String quoted = "'" + new String(Character.toChars(c)) + "'";
        return c < 0x80 ? quoted : quoted + String.format(Locale.ROOT, " (U+%04X)", c);
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean isWordStart(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isWordPart(int c) {
        return isWordStart(c) || isDigit(c);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
