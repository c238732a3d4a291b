package io.consentvault.vault.query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Properties over generated clauses, with hostile string literals (quotes of both kinds, backslashes, {@code ;},
 * {@code --}, {@code /*}, placeholders, unicode): a clause parses back to the tree it was written from, no literal
 * ever reaches the SQL text, and no input makes the parser throw anything but {@link QueryException}.
 * <p>
 * Plain JUnit over a seeded generator, so every run checks the same cases; a failure names its seed, and
 * {@code -Dvault.query.seed=N} changes the base seed to explore others.
 */
class QueryPropertiesTest {

    private static final long BASE_SEED = Long.getLong("vault.query.seed", 20_261_127L);

    /** Characters chosen to break naive quoting or escaping, and characters from beyond ASCII. */
    private static final String[] PIECES = {"a", "Z", "0", "_", "%", " ", "'", "''", "\"", "\"\"", "\\", "\\'", ";",
            "--", "/*", "*/", "$1", "$", "::text", "(", ")", ",", "=", "<>", "\n", "\t", "é", "ß", "日本", "🙂", "\u2028",
            "\u202e", "\ufeff", "' OR '1'='1", "\" OR \"\"=\"", "'); DROP TABLE consent_records; --", "AND", "NULL"};

    /** At least one of these is in every generated string: none of them can appear in the SQL the builder writes. */
    private static final String[] MARKERS = {";", "\\", "--", "é", "🙂", "日", "/*"};

    /** Everything the SQL text may be made of: the fields' SQL, column names, operators, keywords, typed placeholders. */
    private static final Pattern SQL_TOKEN = Pattern.compile(
            Stream.of(Field.values()).map(f -> Pattern.quote(f.sql())).collect(Collectors.joining("|"))
                    + "| |[a-z_]+|\\$[1-9][0-9]*::(?:text|integer|boolean|timestamptz)|<>|<=|>=|=|<|>|\\(|\\)|, "
                    + "|AND|OR|NOT|IN|LIKE|ESCAPE ''|IS|NULL");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([0-9]+)::");

    @Test
    void aWrittenClauseParsesBackToItsTree() {
        int[] tooLong = {0};
        forSeeds(2_000, seed -> {
            Gen gen = new Gen(seed);
            Expr tree = gen.tree(4);
            String clause = gen.render(tree);
            if (clause.codePointCount(0, clause.length()) > QueryParser.MAX_LENGTH) {
                tooLong[0]++;
                return;
            }
            try {
                assertEquals(tree, QueryParser.parse(clause), clause);
            } catch (QueryException e) {
                fail("valid clause refused at " + e.position() + " (" + e.getMessage() + "): " + escape(clause));
            }
        });
        assertTrue(tooLong[0] < 100, tooLong[0] + " of 2000 clauses were too long to check");
    }

    @Test
    void literalsReachSqlOnlyAsBindValues() {
        forSeeds(2_000, seed -> {
            Gen gen = new Gen(seed);
            Expr tree = gen.tree(4);
            String organization = gen.hostileString();
            int first = 1 + gen.random.nextInt(5);
            SqlFragment sql = RecordFilter.of(organization).and(tree).toSql(first);
            String text = sql.text();

            List<Object> expected = new ArrayList<>();
            expected.add(organization);
            List<String> strings = new ArrayList<>();
            strings.add(organization);
            collectLiterals(tree, expected, strings);
            assertEquals(expected, sql.binds(), text);
            for (String s : strings) {
                assertFalse(text.contains(s), () -> "literal " + escape(s) + " in " + text);
            }
            onlySqlTokens(text);
            placeholdersInOrder(text, first, sql.binds().size());
            // the text depends on the tree's shape only, never on a literal's content
            assertEquals(RecordFilter.of("o").and(blank(tree)).toSql(first).text(), text);
        });
    }

    @Test
    void parsingThrowsOnlyQueryException() {
        forSeeds(20_000, seed -> {
            Gen gen = new Gen(seed);
            String input = gen.random.nextBoolean() ? gen.soup() : gen.mutate(gen.render(gen.tree(3)));
            parsesOrRefuses(input, seed);
        });
    }

    @Test
    void truncatedClausesAreRefusedCleanly() {
        forSeeds(300, seed -> {
            Gen gen = new Gen(seed);
            String clause = gen.render(gen.tree(3));
            int[] cps = clause.codePoints().toArray();
            for (int end = 0; end < cps.length && end < 400; end++) {
                parsesOrRefuses(new String(cps, 0, end), seed);
            }
        });
    }

    private static void parsesOrRefuses(String input, long seed) {
        try {
            Expr e = QueryParser.parse(input);
            RecordFilter.of("o").and(e).toSql(1);
        } catch (QueryException e) {
            int length = input.codePointCount(0, input.length());
            assertTrue(e.position() >= 0 && e.position() <= Math.min(length, QueryParser.MAX_LENGTH),
                    () -> "position " + e.position() + " outside " + escape(input));
            assertFalse(e.getMessage().isBlank());
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + ": " + t + " on " + escape(input), t);
        }
    }

    private static void forSeeds(int count, LongConsumer property) {
        for (int i = 0; i < count; i++) {
            long seed = BASE_SEED * 1_000_003L + i;
            try {
                property.accept(seed);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private static void onlySqlTokens(String text) {
        Matcher m = SQL_TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            m.region(at, text.length());
            assertTrue(m.lookingAt(), () -> "unexpected SQL at " + text.substring(0, Math.min(text.length(), 80)));
            at = m.end();
        }
    }

    private static void placeholdersInOrder(String text, int first, int count) {
        Matcher m = PLACEHOLDER.matcher(text);
        int next = first;
        while (m.find()) {
            assertEquals(next++, Integer.parseInt(m.group(1)), text);
        }
        assertEquals(first + count, next, text);
    }

    /** Bind values in the order of the clause, as {@link SqlBuilder} must bind them; the strings among them. */
    private static void collectLiterals(Expr e, List<Object> binds, List<String> strings) {
        if (e instanceof Expr.Compare c) {
            add(c.value(), binds, strings);
        } else if (e instanceof Expr.In in) {
            in.values().forEach(v -> add(v, binds, strings));
        } else if (e instanceof Expr.Like like) {
            add(Literal.of(like.pattern()), binds, strings);
        } else if (e instanceof Expr.Not not) {
            collectLiterals(not.operand(), binds, strings);
        } else if (e instanceof Expr.And and) {
            and.operands().forEach(o -> collectLiterals(o, binds, strings));
        } else if (e instanceof Expr.Or or) {
            or.operands().forEach(o -> collectLiterals(o, binds, strings));
        }
    }

    private static void add(Literal v, List<Object> binds, List<String> strings) {
        if (v instanceof Literal.Time t) {
            binds.add(OffsetDateTime.ofInstant(t.value(), ZoneOffset.UTC));
        } else {
            binds.add(v.bind());
        }
        if (v instanceof Literal.Text t) {
            strings.add(t.value());
        }
    }

    /** The same tree with every string replaced by "x". */
    private static Expr blank(Expr e) {
        if (e instanceof Expr.Compare c) {
            return new Expr.Compare(c.field(), c.op(), blank(c.value()));
        } else if (e instanceof Expr.In in) {
            return new Expr.In(in.field(), in.values().stream().map(QueryPropertiesTest::blank).toList());
        } else if (e instanceof Expr.Like like) {
            return new Expr.Like(like.field(), "x");
        } else if (e instanceof Expr.Not not) {
            return new Expr.Not(blank(not.operand()));
        } else if (e instanceof Expr.And and) {
            return new Expr.And(and.operands().stream().map(QueryPropertiesTest::blank).toList());
        } else if (e instanceof Expr.Or or) {
            return new Expr.Or(or.operands().stream().map(QueryPropertiesTest::blank).toList());
        }
        return e;
    }

    private static Literal blank(Literal v) {
        return v instanceof Literal.Text ? Literal.of("x") : v;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c >= 0x20 && c < 0x7f
                ? String.valueOf((char) c)
                : String.format(Locale.ROOT, "\\u%04x", c)));
        return b.toString();
    }

    /** Random trees, clauses written from them, hostile strings and broken inputs. */
    static final class Gen {

        final SplittableRandom random;

        Gen(long seed) {
            this.random = new SplittableRandom(seed);
        }

        Expr tree(int depth) {
            if (depth == 0 || random.nextInt(3) == 0) {
                return condition();
            }
            switch (random.nextInt(3)) {
                case 0 :
                    return new Expr.Not(tree(depth - 1));
                case 1 :
                    return new Expr.And(operands(depth - 1));
                default :
                    return new Expr.Or(operands(depth - 1));
            }
        }

        private List<Expr> operands(int depth) {
            List<Expr> list = new ArrayList<>();
            int n = 2 + random.nextInt(2);
            for (int i = 0; i < n; i++) {
                list.add(tree(depth));
            }
            return list;
        }

        Expr condition() {
            Field field = Field.values()[random.nextInt(Field.values().length)];
            int kind = random.nextInt(4);
            if (kind == 0) {
                return new Expr.IsNull(field, random.nextBoolean());
            }
            if (kind == 1) {
                List<Literal> values = new ArrayList<>();
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    values.add(literal(field));
                }
                return new Expr.In(field, values);
            }
            if (kind == 2 && field.type() == Field.Type.STRING) {
                return new Expr.Like(field, hostileString());
            }
            return new Expr.Compare(field, Expr.Op.values()[random.nextInt(Expr.Op.values().length)],
                    literal(field));
        }

        Literal literal(Field field) {
            switch (field.type()) {
                case STRING :
                    return Literal.of(hostileString());
                case INTEGER :
                    return Literal.of(random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(10));
                case BOOLEAN :
                    return Literal.of(random.nextBoolean());
                default :
                    long second = random.nextLong(-2_208_988_800L, 4_102_444_800L);
                    if (random.nextInt(4) == 0) {
                        return Literal.of(Instant.ofEpochSecond(second - Math.floorMod(second, 86_400L)));
                    }
                    return Literal.of(Instant.ofEpochSecond(second,
                            random.nextInt(3) == 0
                                    ? random.nextInt(1_000_000_000)
                                    : 0));
            }
        }

        /** A string of pieces from {@link #PIECES}, with at least one marker. */
        String hostileString() {
            List<String> pieces = new ArrayList<>();
            int n = random.nextInt(6);
            for (int i = 0; i < n; i++) {
                pieces.add(PIECES[random.nextInt(PIECES.length)]);
            }
            // between pieces, never inside one: a marker must not split a surrogate pair
            pieces.add(random.nextInt(n + 1), MARKERS[random.nextInt(MARKERS.length)]);
            return String.join("", pieces);
        }

        String render(Expr e) {
            StringBuilder b = new StringBuilder();
            space(b);
            render(e, b);
            space(b);
            return b.toString();
        }

        private void render(Expr e, StringBuilder b) {
            if (e instanceof Expr.Compare c) {
                b.append(c.field().fieldName());
                maybeSpace(b);
                b.append(c.op() == Expr.Op.NE && random.nextBoolean() ? "!=" : operator(c.op()));
                maybeSpace(b);
                literal(c.value(), b);
            } else if (e instanceof Expr.In in) {
                b.append(in.field().fieldName());
                space(b);
                b.append(keyword("IN"));
                maybeSpace(b);
                b.append('(');
                for (int i = 0; i < in.values().size(); i++) {
                    if (i > 0) {
                        b.append(',');
                        maybeSpace(b);
                    }
                    literal(in.values().get(i), b);
                }
                b.append(')');
            } else if (e instanceof Expr.Like like) {
                b.append(like.field().fieldName());
                space(b);
                b.append(keyword("LIKE"));
                space(b);
                string(like.pattern(), b);
            } else if (e instanceof Expr.IsNull isNull) {
                b.append(isNull.field().fieldName());
                space(b);
                b.append(keyword("IS"));
                space(b);
                if (isNull.negated()) {
                    b.append(keyword("NOT"));
                    space(b);
                }
                b.append(keyword("NULL"));
            } else if (e instanceof Expr.Not not) {
                b.append(keyword("NOT"));
                space(b);
                operand(not.operand(), isJunction(not.operand()), b);
            } else if (e instanceof Expr.And and) {
                // an AND or OR inside an AND needs parentheses to stay a node of its own
                junction(and.operands(), "AND", true, b);
            } else if (e instanceof Expr.Or or) {
                // an AND inside an OR does not: AND binds tighter
                junction(or.operands(), "OR", false, b);
            }
        }

        private void junction(List<Expr> operands, String keyword, boolean groupAnd, StringBuilder b) {
            for (int i = 0; i < operands.size(); i++) {
                if (i > 0) {
                    space(b);
                    b.append(keyword(keyword));
                    space(b);
                }
                Expr o = operands.get(i);
                operand(o, o instanceof Expr.Or || (groupAnd && o instanceof Expr.And), b);
            }
        }

        /** An operand, in parentheses when {@code group}, else sometimes (they change nothing). */
        private void operand(Expr o, boolean group, StringBuilder b) {
            boolean grouped = group || random.nextInt(4) == 0;
            if (grouped) {
                b.append('(');
                maybeSpace(b);
            }
            render(o, b);
            if (grouped) {
                maybeSpace(b);
                b.append(')');
            }
        }

        private static boolean isJunction(Expr e) {
            return e instanceof Expr.And || e instanceof Expr.Or;
        }

        private void literal(Literal v, StringBuilder b) {
            if (v instanceof Literal.Text t) {
                string(t.value(), b);
            } else if (v instanceof Literal.Int i) {
                b.append(i.value());
            } else if (v instanceof Literal.Bool bool) {
                b.append(keyword(bool.value() ? "TRUE" : "FALSE"));
            } else if (v instanceof Literal.Time t) {
                string(instant(t.value()), b);
            }
        }

        private String instant(Instant t) {
            if (t.getEpochSecond() % 86_400 == 0 && t.getNano() == 0 && random.nextBoolean()) {
                return t.toString().substring(0, 10);
            }
            int minutes = random.nextInt(4) == 0 ? 0 : random.nextInt(-18 * 60 + 1, 18 * 60);
            String text = OffsetDateTime.ofInstant(t, ZoneOffset.ofTotalSeconds(minutes * 60))
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return random.nextBoolean() ? text.toLowerCase(Locale.ROOT) : text;
        }

        private void string(String value, StringBuilder b) {
            char quote = random.nextBoolean() ? '\'' : '"';
            b.append(quote).append(value.replace(String.valueOf(quote), "" + quote + quote)).append(quote);
        }

        private String operator(Expr.Op op) {
            return op.sql();
        }

        private String keyword(String k) {
            StringBuilder b = new StringBuilder();
            for (char c : k.toCharArray()) {
                b.append(random.nextBoolean() ? c : Character.toLowerCase(c));
            }
            return b.toString();
        }

        private void space(StringBuilder b) {
            b.append(" \n\t  ".charAt(random.nextInt(5)));
        }

        private void maybeSpace(StringBuilder b) {
            if (random.nextBoolean()) {
                space(b);
            }
        }

        /** Tokens and characters of the language and of SQL, thrown together. */
        String soup() {
            String[] tokens = {"value", "purpose", "event_index", "created_at", "user_id", "USER_ID", "foo", "AND",
                    "or", "NOT", "IN", "LIKE", "IS", "NULL", "true", "FALSE", "SELECT", "lower", "(", ")", ",", "=",
                    "!=", "<>", "<", "<=", ">", ">=", "!", "'", "\"", "''", "'x'", "\"y\"", "'2024-05-01'",
                    "'2024-05-01T10:00:00+02:00'", "12", "-3", "1.5", "99999999999", "-", "--", "/*", "*", "/", ";",
                    "\\", "\u0000", "\ud800", "\udc00", "🙂", "é", " ", "\n", "$1", "::", "@", "`", "[", "{"};
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(30);
            for (int i = 0; i < n; i++) {
                b.append(tokens[random.nextInt(tokens.length)]);
                if (random.nextBoolean()) {
                    b.append(' ');
                }
            }
            return b.toString();
        }

        /** The text with a few characters deleted, inserted or repeated. */
        String mutate(String text) {
            StringBuilder b = new StringBuilder(text);
            String inserts = "()'\",;-/*=<>!\\ \u0000\ud800x1";
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n && b.length() > 0; i++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 :
                        b.deleteCharAt(at);
                        break;
                    case 1 :
                        b.insert(at, inserts.charAt(random.nextInt(inserts.length())));
                        break;
                    default :
                        b.insert(at, b.charAt(at));
                        break;
                }
            }
            return b.toString();
        }
    }
}
