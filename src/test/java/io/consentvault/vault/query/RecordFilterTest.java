package io.consentvault.vault.query;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The only way to SQL from outside the package: always bounded by the organization, whatever the clause says. */
class RecordFilterTest {

    @Test
    void theOrganizationAloneIsTheFirstBind() {
        SqlFragment sql = RecordFilter.of("org-1").toSql(1);
        assertEquals("organization_id = $1::text", sql.text());
        assertEquals(List.of("org-1"), sql.binds());
    }

    @Test
    void aClauseIsAndedInParentheses() {
        SqlFragment sql = RecordFilter.of("org-1")
                .and(QueryParser.parse("organization_id = 'other' OR value = true")).toSql(1);
        assertEquals(
                "organization_id = $1::text AND ((organization_id COLLATE \"C\") = $2::text OR value = $3::boolean)",
                sql.text());
        assertEquals(List.of("org-1", "other", true), sql.binds());
    }

    @Test
    void severalConditionsKeepTheirOrderAndNumbering() {
        RecordFilter filter = RecordFilter.of("org-1")
                .and(new Expr.In(Field.ACTION, List.of(Literal.of("consent.given"), Literal.of("consent.denied"))))
                .and(QueryParser.parse("purpose LIKE 'mark%' OR NOT decision = true"));
        SqlFragment sql = filter.toSql(3);
        assertEquals("organization_id = $3::text AND (action IN ($4::text, $5::text)) AND (purpose LIKE $6::text "
                + "ESCAPE '' OR NOT (decision = $7::boolean))", sql.text());
        assertEquals(List.of("org-1", "consent.given", "consent.denied", "mark%", true), sql.binds());
        assertEquals(8, sql.nextIndex(3));
    }

    @Test
    void cannotBeMadeWithoutAnOrganization() {
        assertThrows(NullPointerException.class, () -> RecordFilter.of(null));
        assertThrows(IllegalArgumentException.class, () -> RecordFilter.of(""));
        assertThrows(NullPointerException.class, () -> RecordFilter.of("org").and(null));
    }

    @Test
    void isImmutable() {
        RecordFilter base = RecordFilter.of("org-1");
        RecordFilter narrowed = base.and(QueryParser.parse("value = true"));
        assertEquals(List.of(), base.conditions());
        assertEquals(1, narrowed.conditions().size());
        assertEquals(RecordFilter.of("org-1").and(QueryParser.parse("value = TRUE")), narrowed);
    }

    @Test
    void itsStringHoldsNoLiteral() {
        RecordFilter filter = RecordFilter.of("org-1").and(QueryParser.parse("user_id = 'alice@example.com'"));
        assertFalse(filter.toString().contains("alice"));
    }

    @Test
    void treesBuiltByHandAreCheckedLikeParsedOnes() {
        assertThrows(IllegalArgumentException.class,
                () -> new Expr.Compare(Field.EVENT_INDEX, Expr.Op.EQ, Literal.of("1")));
        assertThrows(IllegalArgumentException.class, () -> new Expr.Like(Field.VALUE, "t%"));
        assertThrows(IllegalArgumentException.class, () -> new Expr.In(Field.PURPOSE, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Expr.And(List.of(new Expr.IsNull(Field.REGION, false))));
    }
}
