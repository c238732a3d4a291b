package io.consentvault.vault.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.consentvault.vault.query.Lexer.Kind;
import io.consentvault.vault.query.Lexer.Token;

/**
 * Parses the vault's query language (the {@code where=} parameter and the {@code WHERE} of the search form) into an
 * {@link Expr}. The grammar, keywords case-insensitive, field names case-sensitive:
 *
 * <pre>
 * clause    = or END
 * or        = and { OR and }
 * and       = unary { AND unary }
 * unary     = NOT unary | primary
 * primary   = "(" or ")" | condition
 * condition = field ( op literal | IN "(" literal { "," literal } ")" | LIKE string | IS [ NOT ] NULL )
 * op        = "=" | "!=" | "&lt;&gt;" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
 * literal   = string | integer | TRUE | FALSE     (of the field's type; an instant is a string)
 * string    = "'" { char | "''" } "'" | '"' { char | '""' } '"'
 * integer   = [ "-" ] digit { digit }
 * </pre>
 *
 * Anything else is a {@link QueryException} at the leftmost offending character. Bounded: at most
 * {@value #MAX_LENGTH} characters, {@value #MAX_DEPTH} levels of parentheses and NOT, {@value #MAX_IN_VALUES} values
 * in an IN list, so parsing takes linear time and bounded stack whatever the input.
 * <p>
 * Thread-safe (each call parses with state of its own) and cheap enough for the event loop, where the vault's REST
 * layer calls it.
 */
public final class QueryParser {

    /** The longest clause, in code points. */
    public static final int MAX_LENGTH = 4000;
    /** The deepest nesting of parentheses and NOTs. */
    public static final int MAX_DEPTH = 64;
    /** The most values in one IN list. */
    public static final int MAX_IN_VALUES = 1000;

    private static final String OPERATORS = "=, !=, <>, <, <=, >, >=, IN, LIKE, IS NULL or IS NOT NULL";

    private final Lexer lexer;
    private final int[] cps;
    private Token token;

    /**
     * A clause read from inside a longer text, and the code point offset where it stopped: the end of the text, or
     * the first word after a complete clause ({@code ORDER}, {@code LIMIT}, ...), which is the caller's to read.
     */
    public record Prefix(Expr expr, int end) {
    }

    private QueryParser(int[] cps, int from) {
        this.cps = cps;
        this.lexer = new Lexer(cps, from);
    }

    /** The clause as a tree, or a {@link QueryException} saying where and why it is not in the language. */
    public static Expr parse(String clause) {
        return new QueryParser(bounded(clause), 0).clause(false).expr();
    }

    /**
     * The clause that starts at code point offset {@code from} of {@code text} (the {@code WHERE} of the search
     * form), up to the end of the text or the first word after a complete clause. Positions, in the result and in a
     * {@link QueryException}, are code point offsets into the whole text, which is bounded like a clause.
     */
    public static Prefix parsePrefix(String text, int from) {
        int[] cps = bounded(text);
        if (from < 0 || from > cps.length) {
            throw new IndexOutOfBoundsException("from " + from + " outside a text of " + cps.length);
        }
        return new QueryParser(cps, from).clause(true);
    }

    private static int[] bounded(String text) {
        Objects.requireNonNull(text, "text");
        if (text.codePointCount(0, text.length()) > MAX_LENGTH) {
            throw new QueryException("the clause is longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        return text.codePoints().toArray();
    }

    private Prefix clause(boolean stopAtWord) {
        advance();
        if (token.kind() == Kind.END) {
            throw new QueryException("empty clause: expected a condition, such as purpose = 'analytics'",
                    token.start());
        }
        Expr e = or(0);
        if (token.kind() == Kind.RPAREN) {
            throw new QueryException("unbalanced parenthesis: this ')' closes nothing", token.start());
        }
        if (token.kind() == Kind.END || (stopAtWord && token.kind() == Kind.WORD)) {
            return new Prefix(e, token.start());
        }
        throw new QueryException("unexpected " + found(token) + ": expected AND, OR or the end of the clause",
                token.start());
    }

    private Expr or(int depth) {
        List<Expr> operands = new ArrayList<>();
        operands.add(and(depth));
        while (isKeyword(token, "OR")) {
            advance();
            operands.add(and(depth));
        }
        return Expr.or(operands);
    }

    private Expr and(int depth) {
        List<Expr> operands = new ArrayList<>();
        operands.add(unary(depth));
        while (isKeyword(token, "AND")) {
            advance();
            operands.add(unary(depth));
        }
        return Expr.and(operands);
    }

    private Expr unary(int depth) {
        if (isKeyword(token, "NOT")) {
            nest(depth);
            advance();
            return new Expr.Not(unary(depth + 1));
        }
        return primary(depth);
    }

    private Expr primary(int depth) {
        if (token.kind() != Kind.LPAREN) {
            return condition();
        }
        Token open = token;
        nest(depth);
        advance();
        Expr inner = or(depth + 1);
        if (token.kind() == Kind.RPAREN) {
            advance();
            return inner;
        }
        if (token.kind() == Kind.END) {
            throw unclosed(open);
        }
        throw new QueryException("unexpected " + found(token) + ": expected AND, OR or ')'", token.start());
    }

    private Expr condition() {
        Field field = field();
        Token op = token;
        if (op.kind() == Kind.OPERATOR) {
            advance();
            return new Expr.Compare(field, op.op(), literal(field));
        }
        if (isKeyword(op, "IN")) {
            advance();
            return new Expr.In(field, list(field));
        }
        if (isKeyword(op, "LIKE")) {
            if (field.type() != Field.Type.STRING) {
                throw new QueryException("LIKE applies to string fields; '" + field.fieldName() + "' is "
                        + field.type().description(), op.start());
            }
            advance();
            // a string field's literal is always a Text
            return new Expr.Like(field, ((Literal.Text) literal(field)).value());
        }
        if (isKeyword(op, "IS")) {
            advance();
            boolean negated = isKeyword(token, "NOT");
            if (negated) {
                advance();
            }
            if (!isKeyword(token, "NULL")) {
                throw new QueryException("expected " + (negated ? "NULL" : "NULL or NOT NULL") + " after IS, found "
                        + found(token), token.start());
            }
            advance();
            return new Expr.IsNull(field, negated);
        }
        if (isKeyword(op, "NOT")) {
            throw new QueryException("NOT goes before a condition: write NOT " + field.fieldName() + " IN (...) or NOT "
                    + field.fieldName() + " LIKE '...'", op.start());
        }
        throw new QueryException("expected an operator (" + OPERATORS + ") after '" + field.fieldName()
                + "', found " + found(op), op.start());
    }

    /** The field a condition starts with; leaves the token after it. */
    private Field field() {
        Token t = token;
        if (t.kind() == Kind.WORD) {
            refuseSubqueryOrCall(t);
            if (isKeyword(t, "AND", "OR", "NOT", "IN", "LIKE", "IS", "NULL", "TRUE", "FALSE")) {
                throw new QueryException("expected a field, found " + found(t), t.start());
            }
            Optional<Field> field = Field.byName(t.text());
            if (field.isEmpty()) {
                throw new QueryException("unknown field '" + lexer.source(t.start(), t.end()) + "'" + hint(t.text()),
                        t.start());
            }
            advance();
            return field.get();
        }
        if (t.kind() == Kind.STRING || t.kind() == Kind.INTEGER) {
            throw new QueryException("expected a field, found " + found(t)
                    + ": a condition is a field, an operator and literal(s), such as purpose = 'analytics'",
                    t.start());
        }
        throw new QueryException("expected a condition, found " + found(t), t.start());
    }

    /** The values of {@code IN (...)}, from its opening parenthesis; leaves the token after the closing one. */
    private List<Literal> list(Field field) {
        Token open = token;
        if (open.kind() != Kind.LPAREN) {
            throw new QueryException("expected '(' after IN, found " + found(open), open.start());
        }
        advance();
        if (token.kind() == Kind.RPAREN) {
            throw new QueryException("IN needs at least one value", token.start());
        }
        List<Literal> values = new ArrayList<>();
        while (true) {
            if (values.size() == MAX_IN_VALUES) {
                throw new QueryException("an IN list holds at most " + MAX_IN_VALUES + " values", token.start());
            }
            values.add(literal(field));
            if (token.kind() == Kind.COMMA) {
                advance();
            } else if (token.kind() == Kind.RPAREN) {
                advance();
                return values;
            } else if (token.kind() == Kind.END) {
                throw unclosed(open);
            } else {
                throw new QueryException("expected ',' or ')' in the IN list, found " + found(token), token.start());
            }
        }
    }

    /** A literal of the field's type; leaves the token after it. */
    private Literal literal(Field field) {
        Token t = token;
        Literal value;
        switch (t.kind()) {
            case STRING :
                value = string(field, t);
                break;
            case INTEGER :
                value = integer(field, t);
                break;
            case WORD :
                value = word(field, t);
                break;
            case LPAREN :
                int after = lexer.skipSpace(t.end());
                if (startsWithWord(after, "SELECT")) {
                    throw new QueryException("subqueries are not allowed", after);
                }
                throw new QueryException("expected a literal, found '('", t.start());
            default :
                throw new QueryException("expected " + field.type().description() + ", found " + found(t), t.start());
        }
        advance();
        return value;
    }

    private Literal string(Field field, Token t) {
        switch (field.type()) {
            case STRING :
                return new Literal.Text(t.text());
            case INSTANT :
                Instant instant = Instants.parse(t.text());
                if (instant == null) {
                    throw new QueryException("invalid instant " + lexer.source(t.start(), t.end())
                            + ": expected RFC 3339 with an offset (2024-05-01T12:00:00Z) or a day (2024-05-01)",
                            t.start());
                }
                return new Literal.Time(instant);
            default :
                throw wrongType(field, t, "a string");
        }
    }

    private Literal integer(Field field, Token t) {
        if (field.type() != Field.Type.INTEGER) {
            throw wrongType(field, t, "an integer");
        }
        try {
            return new Literal.Int(Integer.parseInt(t.text()));
        } catch (NumberFormatException e) {
            throw new QueryException("integer out of range: " + lexer.source(t.start(), t.end()), t.start());
        }
    }

    private Literal word(Field field, Token t) {
        if (isKeyword(t, "TRUE", "FALSE")) {
            if (field.type() != Field.Type.BOOLEAN) {
                throw wrongType(field, t, "a boolean");
            }
            return new Literal.Bool(isKeyword(t, "TRUE"));
        }
        if (isKeyword(t, "NULL")) {
            throw new QueryException("NULL is not a value (a comparison with NULL is never true): write '"
                    + field.fieldName() + " IS NULL'", t.start());
        }
        refuseSubqueryOrCall(t);
        if (Field.byName(t.text()).isPresent()) {
            throw new QueryException("expected a literal, found the field '" + t.text()
                    + "': a condition compares a field with literals, not with another field", t.start());
        }
        throw new QueryException("expected " + field.type().description() + ", found " + found(t)
                + " (strings are quoted)", t.start());
    }

    private void refuseSubqueryOrCall(Token word) {
        if (isKeyword(word, "SELECT", "EXISTS", "WITH")) {
            throw new QueryException("subqueries are not allowed", word.start());
        }
        int after = lexer.skipSpace(word.end());
        if (after < cps.length && cps[after] == '(') {
            throw new QueryException("function calls are not allowed", word.start());
        }
    }

    private boolean startsWithWord(int at, String keyword) {
        int end = at;
        while (end < cps.length && end - at <= keyword.length() && Lexer.isWordPart(cps[end])) {
            end++;
        }
        return end - at == keyword.length() && new String(cps, at, end - at).equalsIgnoreCase(keyword);
    }

    private QueryException wrongType(Field field, Token t, String found) {
        String takes = field.type() == Field.Type.INSTANT
                ? "an instant, written as a string ('2024-05-01T12:00:00Z' or '2024-05-01')"
                : field.type().description();
        return new QueryException("'" + field.fieldName() + "' takes " + takes + ", not " + found, t.start());
    }

    private void nest(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new QueryException("nesting deeper than " + MAX_DEPTH + " levels of parentheses and NOT",
                    token.start());
        }
    }

    private static QueryException unclosed(Token open) {
        return new QueryException("unbalanced parenthesis: this '(' is never closed", open.start());
    }

    private static String hint(String name) {
        for (Field f : Field.values()) {
            if (f.fieldName().equalsIgnoreCase(name)) {
                return " (field names are case-sensitive: '" + f.fieldName() + "')";
            }
        }
        return "";
    }

    private String found(Token t) {
        switch (t.kind()) {
            case END :
                return "the end of the clause";
            case STRING :
                return "the string " + lexer.source(t.start(), t.end());
            case WORD :
                return isKeyword(t, "AND", "OR", "NOT", "IN", "LIKE", "IS", "NULL", "TRUE", "FALSE")
                        ? t.text().toUpperCase(Locale.ROOT)
                        : "'" + lexer.source(t.start(), t.end()) + "'";
            default :
                return "'" + lexer.source(t.start(), t.end()) + "'";
        }
    }

    private static boolean isKeyword(Token t, String... keywords) {
        if (t.kind() != Kind.WORD) {
            return false;
        }
        for (String k : keywords) {
            if (t.text().equalsIgnoreCase(k)) {
                return true;
            }
        }
        return false;
    }

    private void advance() {
        token = lexer.next();
    }
}
