package io.consentvault.vault.query;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The SQL each construct becomes: placeholders only, numbered from the given index, a faithful translation. */
class SqlBuilderTest {

    static SqlFragment sql(String clause) {
        return SqlBuilder.build(QueryParser.parse(clause), 1);
    }

    static void translates(String clause, String text, Object... binds) {
        SqlFragment sql = sql(clause);
        assertEquals(text, sql.text(), clause);
        assertEquals(List.of(binds), sql.binds(), clause);
    }

    @Test
    void comparisons() {
        translates("purpose = 'a'", "purpose = $1::text", "a");
        translates("purpose != 'a'", "purpose <> $1::text", "a");
        translates("purpose <> 'a'", "purpose <> $1::text", "a");
        translates("event_index < 2", "event_index < $1::integer", 2);
        translates("event_index <= 2", "event_index <= $1::integer", 2);
        translates("event_index > -2", "event_index > $1::integer", -2);
        translates("event_index >= 2", "event_index >= $1::integer", 2);
        translates("value = true", "value = $1::boolean", true);
        translates("decision <> false", "decision <> $1::boolean", false);
    }

    @Test
    void inLikeAndNullTests() {
        translates("country IN ('FR', 'DE', 'FR')", "country IN ($1::text, $2::text, $3::text)", "FR", "DE", "FR");
        translates("purpose LIKE 'a%'", "purpose LIKE $1::text ESCAPE ''", "a%");
        translates("region IS NULL", "region IS NULL");
        translates("region IS NOT NULL", "region IS NOT NULL");
    }

    @Test
    void logicKeepsTheTreesGrouping() {
        translates("NOT purpose = 'a'", "NOT (purpose = $1::text)", "a");
        translates("action = 'a' OR purpose = 'b' AND vendor = 'c'",
                "action = $1::text OR (purpose = $2::text AND vendor = $3::text)", "a", "b", "c");
        translates("(action = 'a' OR purpose = 'b') AND vendor = 'c'",
                "(action = $1::text OR purpose = $2::text) AND vendor = $3::text", "a", "b", "c");
        translates("NOT action = 'a' AND purpose = 'b'", "NOT (action = $1::text) AND purpose = $2::text", "a", "b");
        translates("NOT (action = 'a' AND purpose = 'b')", "NOT (action = $1::text AND purpose = $2::text)", "a",
                "b");
        translates("NOT NOT value IS NULL", "NOT (NOT (value IS NULL))");
        translates("((action = 'a' AND purpose = 'b') AND vendor = 'c')",
                "(action = $1::text AND purpose = $2::text) AND vendor = $3::text", "a", "b", "c");
    }

    @Test
    void likeHasNoEscapeCharacterAndBindsThePatternExactly() {
        // PostgreSQL's default escape is the backslash; ESCAPE '' makes a backslash match a backslash
        translates("purpose LIKE '100\\%'", "purpose LIKE $1::text ESCAPE ''", "100\\%");
        translates("purpose LIKE '_\\_%'", "purpose LIKE $1::text ESCAPE ''", "_\\_%");
        translates("purpose LIKE 'crème_brûlée%日本🙂'", "purpose LIKE $1::text ESCAPE ''", "crème_brûlée%日本🙂");
        translates("purpose LIKE 'it''s%'", "purpose LIKE $1::text ESCAPE ''", "it's%");
    }

    @Test
    void instantsBindAsUtcOffsetDateTimes() {
        OffsetDateTime t = OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC);
        translates("created_at = '2024-05-01T10:00:00Z'", "created_at = $1::timestamptz", t);
        translates("created_at = '2024-05-01T12:00:00+02:00'", "created_at = $1::timestamptz", t);
        translates("created_at = '2024-05-01T01:00:00-09:00'", "created_at = $1::timestamptz", t);
        translates("received_at >= '2024-05-01'", "received_at >= $1::timestamptz", t.withHour(0));
        OffsetDateTime bound = (OffsetDateTime) sql("created_at = '2024-05-01T12:00:00+02:00'").binds().get(0);
        assertEquals(ZoneOffset.UTC, bound.getOffset());
    }

    @Test
    void placeholdersStartWhereTheCallerSays() {
        SqlFragment sql = SqlBuilder.build(QueryParser.parse("purpose = 'a' OR event_index IN (1, 2)"), 4);
        assertEquals("purpose = $4::text OR event_index IN ($5::integer, $6::integer)", sql.text());
        assertEquals(List.of("a", 1, 2), sql.binds());
        assertEquals(7, sql.nextIndex(4));
        assertThrows(IllegalArgumentException.class, () -> SqlBuilder.build(QueryParser.parse("value = true"), 0));
    }

    @Test
    void theClausesTextNeverReachesSql() {
        String hostile = "x'; DROP TABLE consent_records; --";
        SqlFragment sql = sql("user_id = 'x''; DROP TABLE consent_records; --' OR purpose LIKE \"\\\"\"%\"");
        assertEquals("user_id = $1::text OR purpose LIKE $2::text ESCAPE ''", sql.text());
        assertEquals(List.of(hostile, "\\\"%"), sql.binds());
        assertFalse(sql.text().contains("DROP"));
    }

    @Test
    void bindsAreImmutable() {
        SqlFragment sql = sql("purpose = 'a'");
        assertThrows(UnsupportedOperationException.class, () -> sql.binds().add("b"));
    }
}
