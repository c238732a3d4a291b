package io.consentvault.vault.query;

import java.time.Duration;
import java.util.Collections;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The bounds that keep any input cheap: length, nesting, IN lists; at the limit they pass, one past it they fail. */
class QueryBoundsTest {

    static QueryException fails(String clause) {
        return assertThrows(QueryException.class, () -> QueryParser.parse(clause));
    }

    static String stringOfLength(int length) {
        String head = "purpose = '";
        return head + "a".repeat(length - head.length() - 1) + "'";
    }

    @Test
    void atMost4000Characters() {
        assertEquals(4000, stringOfLength(4000).length());
        assertInstanceOf(Expr.Compare.class, QueryParser.parse(stringOfLength(4000)));
        QueryException e = fails(stringOfLength(4001));
        assertEquals(4000, e.position());
        assertEquals("the clause is longer than 4000 characters", e.getMessage());
    }

    @Test
    void theLengthCountsCharactersNotUtf16Units() {
        String clause = "purpose = '" + "🙂".repeat(4000 - 12) + "'";
        assertEquals(4000, clause.codePointCount(0, clause.length()));
        assertInstanceOf(Expr.Compare.class, QueryParser.parse(clause));
    }

    @Test
    void atMost64LevelsOfParentheses() {
        String ok = "(".repeat(64) + "value = true" + ")".repeat(64);
        assertInstanceOf(Expr.Compare.class, QueryParser.parse(ok));
        QueryException e = fails("(".repeat(65) + "value = true" + ")".repeat(65));
        assertEquals(64, e.position());
        assertEquals("nesting deeper than 64 levels of parentheses and NOT", e.getMessage());
    }

    @Test
    void notCountsAsALevel() {
        assertInstanceOf(Expr.Not.class, QueryParser.parse("NOT ".repeat(64) + "value = true"));
        assertEquals(4 * 64, fails("NOT ".repeat(65) + "value = true").position());
        assertInstanceOf(Expr.Not.class, QueryParser.parse("NOT (".repeat(32) + "value = true" + ")".repeat(32)));
        assertEquals(5 * 32, fails("NOT (".repeat(32) + "NOT value = true" + ")".repeat(32)).position());
    }

    @Test
    void atMost1000ValuesInAnInList() {
        String values = String.join(", ", Collections.nCopies(1000, "1"));
        assertInstanceOf(Expr.In.class, QueryParser.parse("event_index IN (" + values + ")"));
        QueryException e = fails("event_index IN (" + values + ", 2)");
        assertEquals("event_index IN (".length() + 1000 * 3, e.position());
        assertEquals("an IN list holds at most 1000 values", e.getMessage());
    }

    @Test
    void hostileShapesFailFast() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 200; i++) {
                fails("(".repeat(4000));
                fails("NOT ".repeat(1000));
                fails("'".repeat(3999));
                fails("value = true AND ".repeat(235));
                QueryParser.parse("value = true" + " OR value = true".repeat(249));
            }
        });
    }

    @Test
    void aLongFlatClauseBuildsFlatSql() {
        Expr e = QueryParser.parse("value = true" + " AND value = true".repeat(234));
        assertEquals(235, ((Expr.And) e).operands().size());
        assertEquals(236, RecordFilter.of("o").and(e).toSql(1).binds().size());
    }
}
