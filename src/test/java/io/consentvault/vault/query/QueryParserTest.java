package io.consentvault.vault.query;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.consentvault.vault.query.Expr.And;
import io.consentvault.vault.query.Expr.Compare;
import io.consentvault.vault.query.Expr.In;
import io.consentvault.vault.query.Expr.IsNull;
import io.consentvault.vault.query.Expr.Like;
import io.consentvault.vault.query.Expr.Not;
import io.consentvault.vault.query.Expr.Op;
import io.consentvault.vault.query.Expr.Or;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What {@link QueryParser} accepts and the tree it builds: operators, precedence, literals, keywords. */
class QueryParserTest {

    static Expr parse(String clause) {
        return QueryParser.parse(clause);
    }

    static Compare eq(Field field, String value) {
        return new Compare(field, Op.EQ, Literal.of(value));
    }

    static Compare flag(Field field, boolean value) {
        return new Compare(field, Op.EQ, Literal.of(value));
    }

    @Test
    void everyComparisonOperator() {
        assertEquals(eq(Field.PURPOSE, "a"), parse("purpose = 'a'"));
        assertEquals(new Compare(Field.PURPOSE, Op.NE, Literal.of("a")), parse("purpose != 'a'"));
        assertEquals(new Compare(Field.PURPOSE, Op.NE, Literal.of("a")), parse("purpose <> 'a'"));
        assertEquals(new Compare(Field.EVENT_INDEX, Op.LT, Literal.of(3)), parse("event_index < 3"));
        assertEquals(new Compare(Field.EVENT_INDEX, Op.LE, Literal.of(3)), parse("event_index <= 3"));
        assertEquals(new Compare(Field.EVENT_INDEX, Op.GT, Literal.of(3)), parse("event_index > 3"));
        assertEquals(new Compare(Field.EVENT_INDEX, Op.GE, Literal.of(3)), parse("event_index >= 3"));
    }

    @Test
    void operatorsNeedNoSpaces() {
        assertEquals(new Compare(Field.EVENT_INDEX, Op.LE, Literal.of(-2)), parse("event_index<=-2"));
        assertEquals(new Compare(Field.PURPOSE, Op.NE, Literal.of("a")), parse("purpose<>'a'"));
        assertEquals(new And(List.of(eq(Field.PURPOSE, "a"), flag(Field.VALUE, true))),
                parse("(purpose='a')AND(value=true)"));
    }

    @Test
    void inLikeAndNullTests() {
        assertEquals(new In(Field.COUNTRY, List.of(Literal.of("FR"), Literal.of("DE"))),
                parse("country IN ('FR', \"DE\")"));
        assertEquals(new In(Field.COUNTRY, List.of(Literal.of("FR"))), parse("country IN('FR')"));
        assertEquals(new Like(Field.NOTICE_ID, "n-%"), parse("notice_id LIKE 'n-%'"));
        assertEquals(new IsNull(Field.REGION, false), parse("region IS NULL"));
        assertEquals(new IsNull(Field.REGION, true), parse("region IS NOT NULL"));
        assertEquals(new IsNull(Field.VALUE, false), parse("value IS NULL"));
        assertEquals(new In(Field.EVENT_INDEX, List.of(Literal.of(0), Literal.of(2))), parse("event_index IN (0, 2)"));
        assertEquals(new In(Field.DECISION, List.of(Literal.of(false))), parse("decision IN (false)"));
    }

    @Test
    void andBindsTighterThanOr() {
        Expr a = eq(Field.ACTION, "a");
        Expr b = eq(Field.PURPOSE, "b");
        Expr c = eq(Field.VENDOR, "c");
        Expr d = eq(Field.COUNTRY, "d");
        assertEquals(new Or(List.of(a, new And(List.of(b, c)))),
                parse("action = 'a' OR purpose = 'b' AND vendor = 'c'"));
        assertEquals(new Or(List.of(new And(List.of(a, b)), c)),
                parse("action = 'a' AND purpose = 'b' OR vendor = 'c'"));
        assertEquals(new Or(List.of(new And(List.of(a, b)), new And(List.of(c, d)))),
                parse("action = 'a' AND purpose = 'b' OR vendor = 'c' AND country = 'd'"));
        assertEquals(new And(List.of(new Or(List.of(a, b)), c)),
                parse("(action = 'a' OR purpose = 'b') AND vendor = 'c'"));
        assertEquals(new Or(List.of(a, b, c)), parse("action = 'a' OR purpose = 'b' OR vendor = 'c'"));
        assertEquals(new And(List.of(a, b, c)), parse("action = 'a' AND purpose = 'b' AND vendor = 'c'"));
    }

    @Test
    void notBindsTighterThanAnd() {
        Expr a = eq(Field.ACTION, "a");
        Expr b = eq(Field.PURPOSE, "b");
        assertEquals(new And(List.of(new Not(a), b)), parse("NOT action = 'a' AND purpose = 'b'"));
        assertEquals(new Not(new And(List.of(a, b))), parse("NOT (action = 'a' AND purpose = 'b')"));
        assertEquals(new Or(List.of(new Not(a), new Not(b))), parse("NOT action = 'a' OR NOT purpose = 'b'"));
        assertEquals(new Not(new Not(a)), parse("NOT NOT action = 'a'"));
        assertEquals(new Not(new In(Field.ACTION, List.of(Literal.of("a")))), parse("NOT action IN ('a')"));
    }

    @Test
    void parenthesesOnlyGroup() {
        assertEquals(eq(Field.ACTION, "a"), parse("((( action = 'a' )))"));
    }

    @Test
    void keywordsInAnyCase() {
        Expr expected = new Or(List.of(
                new And(List.of(new In(Field.PURPOSE, List.of(Literal.of("a"))),
                        new Not(new IsNull(Field.VALUE, true)))),
                flag(Field.DECISION, true), new Like(Field.VENDOR, "x"), flag(Field.VALUE, false)));
        assertEquals(expected, parse("purpose IN ('a') AND NOT value IS NOT NULL OR decision = TRUE OR vendor "
                + "LIKE 'x' OR value = FALSE"));
        assertEquals(expected, parse("purpose in ('a') and not value is not null or decision = true or vendor "
                + "like 'x' or value = false"));
        assertEquals(expected, parse("purpose In ('a') aNd NoT value iS nOt NuLl Or decision = TrUe oR vendor "
                + "LiKe 'x' oR value = fAlSe"));
    }

    @Test
    void bothQuoteStylesAndTheirEscapes() {
        assertEquals(eq(Field.USER_ID, "it's"), parse("user_id = 'it''s'"));
        assertEquals(eq(Field.USER_ID, "say \"hi\""), parse("user_id = \"say \"\"hi\"\"\""));
        assertEquals(eq(Field.USER_ID, "\"q\""), parse("user_id = '\"q\"'"));
        assertEquals(eq(Field.USER_ID, "'q'"), parse("user_id = \"'q'\""));
        assertEquals(eq(Field.USER_ID, "'"), parse("user_id = ''''"));
        assertEquals(eq(Field.USER_ID, "\""), parse("user_id = \"\"\"\""));
        assertEquals(eq(Field.USER_ID, ""), parse("user_id = ''"));
        assertEquals(eq(Field.USER_ID, ""), parse("user_id = \"\""));
    }

    @Test
    void stringsHoldAnythingButTheirQuote() {
        assertEquals(eq(Field.USER_ID, "a\\b"), parse("user_id = 'a\\b'"));
        assertEquals(eq(Field.USER_ID, "x; DROP TABLE consent_records; --"),
                parse("user_id = 'x; DROP TABLE consent_records; --'"));
        assertEquals(eq(Field.USER_ID, "/* no */ AND 1=1"), parse("user_id = '/* no */ AND 1=1'"));
        assertEquals(eq(Field.USER_ID, "line\nbreak\ttab"), parse("user_id = 'line\nbreak\ttab'"));
        assertEquals(eq(Field.USER_ID, "Zoë 🙂 日本"), parse("user_id = 'Zoë 🙂 日本'"));
        assertEquals(eq(Field.USER_ID, "$1"), parse("user_id = '$1'"));
    }

    @Test
    void integers() {
        assertEquals(new Compare(Field.EVENT_INDEX, Op.EQ, Literal.of(0)), parse("event_index = 0"));
        assertEquals(new Compare(Field.EVENT_INDEX, Op.EQ, Literal.of(7)), parse("event_index = 007"));
        assertEquals(new Compare(Field.EVENT_INDEX, Op.GT, Literal.of(-1)), parse("event_index > -1"));
        assertEquals(new Compare(Field.EVENT_INDEX, Op.EQ, Literal.of(Integer.MAX_VALUE)),
                parse("event_index = 2147483647"));
        assertEquals(new Compare(Field.EVENT_INDEX, Op.EQ, Literal.of(Integer.MIN_VALUE)),
                parse("event_index = -2147483648"));
    }

    @Test
    void booleans() {
        assertEquals(flag(Field.VALUE, true), parse("value = true"));
        assertEquals(flag(Field.DECISION, false), parse("decision = false"));
        assertEquals(new Compare(Field.VALUE, Op.NE, Literal.of(true)), parse("value != TRUE"));
    }

    @Test
    void instantsAreReadWithTheirOffset() {
        Instant t = Instant.parse("2024-05-01T10:00:00Z");
        Expr expected = new Compare(Field.CREATED_AT, Op.GE, Literal.of(t));
        assertEquals(expected, parse("created_at >= '2024-05-01T10:00:00Z'"));
        assertEquals(expected, parse("created_at >= '2024-05-01T12:00:00+02:00'"));
        assertEquals(expected, parse("created_at >= \"2024-05-01T04:30:00-05:30\""));
        assertEquals(expected, parse("created_at >= '2024-05-01T10:00:00.000z'"));
        assertEquals(new Compare(Field.RECEIVED_AT, Op.LT, Literal.of(Instant.parse("2024-05-01T00:00:00Z"))),
                parse("received_at < '2024-05-01'"));
        assertEquals(new Compare(Field.RECEIVED_AT, Op.EQ, Literal.of(Instant.parse("2024-05-01T10:00:00.123456Z"))),
                parse("received_at = '2024-05-01T10:00:00.123456Z'"));
        assertEquals(new In(Field.CREATED_AT, List.of(Literal.of(t), Literal.of(t))),
                parse("created_at IN ('2024-05-01T10:00:00Z', '2024-05-01T11:00:00+01:00')"));
    }

    @Test
    void likePatternsAreKeptAsWritten() {
        assertEquals(new Like(Field.PURPOSE, "%"), parse("purpose LIKE '%'"));
        assertEquals(new Like(Field.PURPOSE, "a_b%"), parse("purpose LIKE 'a_b%'"));
        assertEquals(new Like(Field.PURPOSE, "100\\%"), parse("purpose LIKE '100\\%'"));
        assertEquals(new Like(Field.PURPOSE, "o'c%"), parse("purpose LIKE \"o'c%\""));
        assertEquals(new Like(Field.PURPOSE, "crème_brûlée%"), parse("purpose LIKE 'crème_brûlée%'"));
    }

    @Test
    void whiteSpaceAnywhereBetweenTokens() {
        assertEquals(new IsNull(Field.REGION, true), parse(" \t\r\n region\nIS\tNOT  NULL \n"));
    }

    @Test
    void everyFieldCanBeNamed() {
        for (Field f : Field.values()) {
            assertEquals(new IsNull(f, false), parse(f.fieldName() + " IS NULL"));
        }
    }

    @Test
    void organizationIdIsAFieldLikeAnother() {
        assertEquals(new Or(List.of(eq(Field.ORGANIZATION_ID, "other"), flag(Field.VALUE, true))),
                parse("organization_id = 'other' OR value = true"));
    }

    @Test
    void aPrefixStopsAtTheFirstWordAfterACompleteClause() {
        String statement = "SELECT * FROM consent_records WHERE value = true OR purpose = 'x ORDER BY' ORDER BY "
                + "created_at DESC";
        int from = statement.indexOf("WHERE") + 5;
        QueryParser.Prefix p = QueryParser.parsePrefix(statement, from);
        assertEquals(new Or(List.of(flag(Field.VALUE, true), eq(Field.PURPOSE, "x ORDER BY"))), p.expr());
        assertEquals(statement.lastIndexOf("ORDER"), p.end());

        String whole = "SELECT COUNT(*) FROM consent_records WHERE region IS NULL";
        QueryParser.Prefix toTheEnd = QueryParser.parsePrefix(whole, whole.indexOf("WHERE") + 5);
        assertEquals(new IsNull(Field.REGION, false), toTheEnd.expr());
        assertEquals(whole.length(), toTheEnd.end());
    }

    @Test
    void aPrefixReportsPositionsInTheWholeText() {
        String statement = "SELECT * FROM consent_records WHERE value = 1 LIMIT 5";
        QueryException e = assertThrows(QueryException.class,
                () -> QueryParser.parsePrefix(statement, statement.indexOf("WHERE") + 5));
        assertEquals(statement.indexOf("1 LIMIT"), e.position());
        QueryException trailing = assertThrows(QueryException.class,
                () -> QueryParser.parsePrefix("WHERE value = true 'x'", 5));
        assertEquals(19, trailing.position());
    }
}
