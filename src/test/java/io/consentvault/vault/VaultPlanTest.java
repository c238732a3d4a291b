package io.consentvault.vault;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Events;
import io.consentvault.vault.query.Expr;
import io.consentvault.vault.query.Field;
import io.consentvault.vault.query.Literal;
import io.consentvault.vault.query.QueryParser;
import io.consentvault.vault.query.RecordFilter;
import io.consentvault.vault.repository.RecordRepository;
import io.consentvault.vault.repository.RecordRepository.Statement;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first page of the vault is an index range scan that stops at its limit, whatever the table holds: shown with
 * EXPLAIN ANALYZE on an organization with 60,000 records over three months of two partitions, next to others.
 */
@QuarkusTest
class VaultPlanTest {

    static final String ORG = Events.unique("org-plan");

    @Inject
    Pool pool;

    String sql(String statement, Tuple args) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Row r : pool.preparedQuery(statement).execute(args).toCompletionStage().toCompletableFuture().get(120,
                TimeUnit.SECONDS)) {
            out.append(r.getValue(0)).append('\n');
        }
        return out.toString();
    }

    void fill() throws Exception {
        if (!sql("SELECT count(*) FROM consent_records WHERE organization_id = $1", Tuple.of(ORG)).startsWith("0")) {
            return;
        }
        // 60,000 events of ORG and 60,000 of another organization, received over two months, created over three,
        // one item each: 120,000 records
        sql("""
                INSERT INTO events (organization_id, event_key, received_at, id, user_key, user_id, event_time, items,
                                    payload, item_decisions, item_changes)
                SELECT CASE WHEN i % 2 = 0 THEN $1 ELSE $1 || '-other' END, 'ev-' || i,
                       now() - (i % 60) * interval '1 day', 'ev-' || i, 'u-' || (i % 5000), 'u-' || (i % 5000),
                       now() - (i % 90) * interval '1 day' - i * interval '1 second',
                       jsonb_build_array(jsonb_build_object(
                           'action', CASE WHEN i % 7 = 0 THEN 'consent.refused' ELSE 'consent.given' END,
                           'purpose', CASE WHEN i % 3 = 0 THEN 'ads' ELSE 'analytics' END)),
                       '{}', ARRAY[i % 7 <> 0], ARRAY[CASE WHEN i % 7 = 0 THEN 'withdrawn' ELSE 'granted' END]
                FROM generate_series(1, 120000) i
                """, Tuple.of(ORG));
        sql("ANALYZE events", Tuple.tuple());
    }

    String explain(Statement s) throws Exception {
        return sql("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + s.sql(), Tuple.from(s.binds()));
    }

    @Test
    void firstPagesAreIndexRangeScansThatStopAtTheLimit() throws Exception {
        fill();
        RecordFilter org = RecordFilter.of(ORG);
        List<Statement> pages = List.of(
                RecordRepository.pageStatement(org, List.of(), Field.CREATED_AT, true, null, 0, 21, null),
                RecordRepository.pageStatement(org, List.of(), Field.CREATED_AT, false, null, 0, 21, null),
                RecordRepository.pageStatement(
                        org.and(new Expr.Compare(Field.CREATED_AT, Expr.Op.GE,
                                new Literal.Time(Instant.now().minusSeconds(20 * 86400))))
                                .and(new Expr.Compare(Field.CREATED_AT, Expr.Op.LT,
                                        new Literal.Time(Instant.now().minusSeconds(10 * 86400)))),
                        List.of(), Field.CREATED_AT, true, null, 0, 21, null),
                RecordRepository.pageStatement(org.and(QueryParser.parse("purpose = 'ads' AND change = 'withdrawn'")),
                        List.of(), Field.CREATED_AT, true, null, 0, 21, null),
                RecordRepository.pageStatement(org, List.of("u-42"), Field.CREATED_AT, true, null, 0, 21, null));
        for (Statement page : pages) {
            String plan = explain(page);
            System.out.println(page.sql() + "\n" + plan);
            assertTrue(plan.contains("Limit"), plan);
            assertTrue(plan.contains("Index Scan"), plan);
            // a sequential scan only of a partition that is empty (the planner's choice there, and free)
            assertFalse(plan.matches("(?s).*Seq Scan[^\\n]*\\(actual rows=[1-9].*"), plan);
            // the scans stop at the limit: of the organization's 60,000 records, a few hundred at most are read (rows
            // come in index order, ties on created_at sorted as they come; one user's few records may be sorted)
            java.util.regex.Matcher scanned = java.util.regex.Pattern
                    .compile("(?:Scan[^\\n]*\\(actual rows=|Rows Removed by Filter: )(\\d+)").matcher(plan);
            int rows = 0;
            while (scanned.find()) {
                rows += Integer.parseInt(scanned.group(1));
            }
            assertTrue(rows > 0 && rows < 2_000, rows + " rows scanned:\n" + plan);
        }
    }
}
