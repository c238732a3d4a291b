package io.consentvault.vault.query;

import java.util.ArrayList;
import java.util.List;

/**
 * The audit search form of the vault: {@code SELECT (* | COUNT(*) | field, ...) FROM consent_records [WHERE clause]
 * [ORDER BY created_at|received_at [ASC|DESC]] [START n] [LIMIT n]}, clauses in that order, keywords in any case. The
 * {@code WHERE} clause is the query language ({@link QueryParser#parsePrefix}). Errors are {@link QueryException}s
 * at the code point offset of the offending character.
 *
 * @param fields the fields selected, in order; null for {@code *}
 * @param where the clause, or null for every record
 */
public record SearchStatement(boolean count, List<Field> fields, Expr where, Field order, boolean descending,
        int start, int limit) {

    public static final int DEFAULT_LIMIT = 300;
    public static final int MAX_LIMIT = 10_000;

    public static SearchStatement parse(String text) {
        if (text == null) {
            throw new QueryException("a query is required", 0);
        }
        if (text.codePointCount(0, text.length()) > QueryParser.MAX_LENGTH) {
            throw new QueryException("a query has at most " + QueryParser.MAX_LENGTH + " characters",
                    QueryParser.MAX_LENGTH);
        }
        return new Reader(text).statement();
    }

    /** Reads the statement's own words; hands the {@code WHERE} clause to the query language's parser. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        SearchStatement statement() {
            keyword("SELECT");
            boolean count = false;
            List<Field> fields = null;
            skip();
            if (peek('*')) {
                at++;
            } else if (peekWord().equalsIgnoreCase("COUNT")) {
                word();
                symbol('(');
                symbol('*');
                symbol(')');
                count = true;
            } else {
                fields = new ArrayList<>();
                do {
                    int where = position();
                    String name = word();
                    Field f = Field.byName(name)
                            .orElseThrow(() -> new QueryException("unknown field '" + name + "'", where));
                    if (fields.contains(f)) {
                        throw new QueryException("field '" + name + "' is selected twice", where);
                    }
                    fields.add(f);
                    skip();
                } while (take(','));
            }
            keyword("FROM");
            skip();
            int table = position();
            if (!word().equalsIgnoreCase("consent_records")) {
                throw new QueryException("the only table is consent_records", table);
            }
            Expr where = null;
            if (nextIs("WHERE")) {
                word();
                QueryParser.Prefix clause = QueryParser.parsePrefix(text, position());
                where = clause.expr();
                at = text.offsetByCodePoints(0, clause.end());
            }
            Field order = Field.CREATED_AT;
            boolean descending = true;
            if (nextIs("ORDER")) {
                word();
                keyword("BY");
                skip();
                int p = position();
                String name = word();
                if (!name.equals("created_at") && !name.equals("received_at")) {
                    throw new QueryException("ORDER BY takes created_at or received_at", p);
                }
                order = Field.byName(name).orElseThrow();
                if (nextIs("ASC")) {
                    word();
                    descending = false;
                } else if (nextIs("DESC")) {
                    word();
                }
            }
            int start = 0;
            if (nextIs("START")) {
                word();
                start = number(0, Integer.MAX_VALUE, "START");
            }
            int limit = DEFAULT_LIMIT;
            if (nextIs("LIMIT")) {
                word();
                limit = number(1, MAX_LIMIT, "LIMIT");
            }
            skip();
            if (at < text.length()) {
                throw new QueryException("unexpected text after the statement", position());
            }
            return new SearchStatement(count, fields == null ? null : List.copyOf(fields), where, order, descending,
                    start, limit);
        }

        private void keyword(String keyword) {
            skip();
            int p = position();
            String w = peekWord();
            if (!w.equalsIgnoreCase(keyword)) {
                throw new QueryException("expected " + keyword, p);
            }
            at += w.length();
        }

        private boolean nextIs(String keyword) {
            skip();
            return peekWord().equalsIgnoreCase(keyword);
        }

        private int number(int min, int max, String clause) {
            skip();
            int p = position();
            int begin = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            if (begin == at || at - begin > 9) {
                throw new QueryException(clause + " takes a number from " + min + " to " + max, p);
            }
            int n = Integer.parseInt(text.substring(begin, at));
            if (n < min || n > max) {
                throw new QueryException(clause + " takes a number from " + min + " to " + max, p);
            }
            return n;
        }

        private void symbol(char c) {
            skip();
            if (!peek(c)) {
                throw new QueryException("expected '" + c + "'", position());
            }
            at++;
        }

        private boolean take(char c) {
            skip();
            if (peek(c)) {
                at++;
                return true;
            }
            return false;
        }

        private boolean peek(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private String word() {
            skip();
            String w = peekWord();
            if (w.isEmpty()) {
                throw new QueryException(at < text.length() ? "unexpected character" : "the query ends too early",
                        position());
            }
            at += w.length();
            return w;
        }

        private String peekWord() {
            int end = at;
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')
                    && text.charAt(end) < 128) {
                end++;
            }
            return text.substring(at, end);
        }

        private void skip() {
            while (at < text.length() && " \t\r\n\f".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private int position() {
            return text.codePointCount(0, at);
        }
    }
}
