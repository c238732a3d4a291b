package io.consentvault.storage;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.store.ConsentCountsTable;
import io.consentvault.ingest.batch.EventInserts;
import io.consentvault.ingest.batch.Idempotency;
import io.consentvault.ingest.repository.EventReadRepository;
import io.consentvault.privacy.ErasureService;
import io.consentvault.state.repository.StateRepository;
import io.consentvault.state.repository.StateWriter;
import io.consentvault.tenancy.auth.KeyRegistry;
import io.consentvault.vault.repository.RecordRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every statement of the ingest, lookup and erasure paths touches the large tables ({@code consent_state},
 * {@code events}, {@code event_keys}, the analytics rollup) only through an index condition, whatever the tables held when PostgreSQL cached
 * its plan. Each statement is prepared on a connection of the service's own pool (so with the service's session
 * settings) in a fresh schema made by the migrations, whose tables are empty and never analysed (autovacuum off, so
 * nothing analyses them meanwhile); it runs more than five times there, so that PostgreSQL may switch to a cached
 * generic plan; its plan is checked on the empty tables, then again once they hold 50,000 users.
 */
@QuarkusTest
class PlanStabilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 50_000;
    /** Users in a lookup: a batch's users that the replica does not hold. */
    private static final int KEYS = 20;

    @Inject
    Pool pool;

    private SqlConnection conn;
    private String schema;
    private final Map<String, String> prepared = new LinkedHashMap<>();

    @BeforeEach
    void freshSchema() throws Exception {
        conn = await(pool.getConnection());
        schema = "plans_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        sql("SET search_path TO " + schema);
        for (Path script : migrations()) {
            sql(Files.readString(script));
        }
        // the months the service prepares (PartitionMaintainer): this one and two ahead
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        for (int i = 0; i <= 2; i++) {
            YearMonth m = month.plusMonths(i);
            sql("CREATE TABLE events_p%d%02d PARTITION OF events FOR VALUES FROM ('%s') TO ('%s')".formatted(
                    m.getYear(), m.getMonthValue(), m.atDay(1), m.plusMonths(1).atDay(1)));
        }
        for (Row r : sql("SELECT c.relname FROM pg_class c WHERE c.relnamespace = '" + schema
                + "'::regnamespace AND c.relkind = 'r'")) {
            sql("ALTER TABLE " + r.getString(0) + " SET (autovacuum_enabled = false)");
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (conn == null) {
            return;
        }
        try {
            sql("ROLLBACK");
            for (String name : prepared.keySet()) {
                sql("DEALLOCATE " + name);
            }
            sql("RESET search_path");
            sql("SET client_min_messages TO warning"); // not one notice per dropped table in the log
            sql("DROP SCHEMA " + schema + " CASCADE");
            sql("RESET client_min_messages");
        } finally {
            await(conn.close());
        }
    }

    @Test
    void everyHotStatementReachesTheLargeTablesByIndexOnEmptyAndOnFilledTables() throws Exception {
        // statement -> arguments of a realistic call (a batch of KEYS users of organization org-1)
        prepare("load", StateRepository.LOAD, texts(orgs()), texts(users()));
        prepare("history_until", StateRepository.HISTORY_UNTIL, "'org-1'", "'user-1'", "now()");
        prepare("lock", StateWriter.LOCK, texts(orgs()), texts(users()), texts(users()), nulls("text"));
        prepare("update", StateWriter.UPDATE, texts(orgs()), texts(users()), repeat("'{}'", "text"),
                repeat("now()", "timestamptz"), repeat("now()", "timestamptz"), repeat("1", "int"),
                repeat("2", "bigint"));
        prepare("upsert_guarded", StateWriter.UPSERT_GUARDED, texts(orgs()), texts(users()), texts(users()),
                nulls("text"), repeat("'{}'", "text"), repeat("now()", "timestamptz"), repeat("now()", "timestamptz"),
                repeat("1", "int"), repeat("2", "bigint"), repeat("1", "bigint"), repeat("1", "int"),
                Integer.toString(KEYS));
        prepare("notify", StateWriter.NOTIFY, texts(users()));
        String[] event = eventArguments();
        String[] eventAgain = java.util.Arrays.copyOf(event, event.length + 1);
        eventAgain[event.length] = "1::smallint"; // the writer whose counts a retried batch adds to
        prepare("insert", EventInserts.INSERT, event);
        prepare("insert_again", EventInserts.INSERT_AGAIN, eventAgain);
        // a batch's counts: one row an hour for each organization (users() as 20 organizations' names)
        prepare("counts", ConsentCountsTable.ADD, "1::smallint", texts(users()), repeat("now()", "timestamptz"),
                repeat("1", "bigint"), repeat("1", "bigint"), repeat("0", "bigint"), repeat("0", "bigint"),
                repeat("0", "bigint"), texts(users()), repeat("now()", "timestamptz"), texts(orgs()),
                repeat("1", "bigint"),
                repeat("0", "bigint"), repeat("0", "bigint"), repeat("0", "bigint"));
        prepare("claim", EventInserts.CLAIM, texts(orgs()), texts(dedupKeys()), texts(ids()),
                repeat("now()", "timestamptz"));
        prepare("existing_keys", Idempotency.EXISTING_KEYS, texts(orgs()), texts(dedupKeys()));
        prepare("history", EventReadRepository.HISTORY, "'org-1'", "'user-1'", "51");
        prepare("history_before", EventReadRepository.HISTORY_BEFORE, "'org-1'", "'user-1'", "now()", "'ev-9'", "51");
        prepare("find", EventReadRepository.FIND, "'org-1'", "'ev-1'", "'ev-1'");
        prepare("delete_state", StateWriter.DELETE, "'org-1'", "'user-1'");
        prepare("delete_events", ErasureService.DELETE_EVENTS, "'org-1'", "'user-1'");
        prepare("find_record", RecordRepository.FIND, "'org-1'", "now()", "now()", "'ev-1'", "0");
        prepare("record", ErasureService.RECORD, "'e-1'", "'org-1'", "now()", "3");
        prepare("keys", KeyRegistry.KEYS);
        prepare("origins", KeyRegistry.ORIGINS);

        // more than five runs each on the empty tables: PostgreSQL may now hold a generic plan, made on empty tables
        for (int run = 0; run < 8; run++) {
            for (String name : prepared.keySet()) {
                sql("BEGIN");
                sql("EXECUTE " + name + prepared.get(name));
                sql("ROLLBACK");
            }
        }
        List<String> faults = new ArrayList<>(byIndexOnly("empty tables"));

        fill();
        faults.addAll(byIndexOnly(USERS + " users"));

        assertTrue(faults.isEmpty(), String.join("\n\n", faults));
        // and the lookups still answer what they did
        assertEquals(KEYS, sql("EXECUTE load" + prepared.get("load")).rowCount());
        assertEquals(KEYS, sql("EXECUTE existing_keys" + prepared.get("existing_keys")).rowCount());
        sql("BEGIN");
        assertEquals(2L, sql("EXECUTE delete_events" + prepared.get("delete_events")).iterator().next().getLong(0));
        assertEquals(0L, sql("SELECT count(*) FROM event_keys WHERE event_id IN ('ev-50000', 'ev-100000')").iterator()
                .next().getLong(0));
        sql("ROLLBACK");
    }

    /**
     * A lookup of a whole batch of users (1000, the largest batch) is a few milliseconds of index probes, but its first
     * plans are estimated at 16 probes a user (the planner does not count run-time partition pruning), past
     * PostgreSQL's JIT threshold: compiling it took 70-80 ms, more than ten times the query. The service's connections
     * run without JIT.
     */
    @Test
    void aBatchLookupIsNotCompiled() throws Exception {
        String[] orgs = new String[1000];
        Arrays.fill(orgs, "org-1");
        String[] users = IntStream.range(0, 1000).mapToObj(i -> "user-" + i).toArray(String[]::new);
        prepare("big_load", StateRepository.LOAD, texts(orgs), texts(users));
        JsonNode explained = JSON
                .readTree(sql("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE big_load" + prepared.get("big_load"))
                        .iterator().next().getValue(0).toString())
                .get(0);
        assertFalse(explained.has("JIT"), explained.toPrettyString());
        assertEquals("off", sql("SHOW jit").iterator().next().getString(0));
    }

    /** Each prepared statement's plan, as it would run now, where it reads a large table without an index condition. */
    private List<String> byIndexOnly(String state) throws Exception {
        List<String> faults = new ArrayList<>();
        for (String name : prepared.keySet()) {
            JsonNode plan = JSON.readTree(sql("EXPLAIN (FORMAT JSON) EXECUTE " + name + prepared.get(name))
                    .iterator().next().getValue(0).toString()).get(0).get("Plan");
            List<String> scans = new ArrayList<>();
            unindexed(plan, scans);
            if (!scans.isEmpty()) {
                StringBuilder text = new StringBuilder();
                for (Row r : sql("EXPLAIN (COSTS OFF) EXECUTE " + name + prepared.get(name))) {
                    text.append("\n    ").append(r.getString(0));
                }
                faults.add(name + " on " + state + " reads " + scans + ":" + text);
            }
        }
        return faults;
    }

    private static void unindexed(JsonNode node, List<String> found) {
        String relation = node.path("Relation Name").asText("");
        boolean large = relation.startsWith("consent_state") || relation.startsWith("events")
                || relation.equals("event_keys") || relation.endsWith("_counts");
        String type = node.path("Node Type").asText();
        if (large && switch (type) {
            case "Seq Scan", "Sample Scan", "Tid Scan", "Tid Range Scan" -> true;
            case "Index Scan", "Index Only Scan" -> !node.has("Index Cond");
            default -> false;
        }) {
            found.add(type + " on " + relation);
        }
        for (JsonNode child : node.path("Plans")) {
            unindexed(child, found);
        }
    }

    /** 50,000 users in 10 organizations, two events each, an idempotency key for every other event. */
    private void fill() throws Exception {
        sql("INSERT INTO consent_state (organization_id, user_key, user_id, decisions, created_at, updated_at, version)"
                + " SELECT 'org-' || (u % 10), 'user-' || u, 'user-' || u, '{}', now(), now(), 1"
                + " FROM generate_series(1, " + USERS + ") u");
        sql("INSERT INTO events (organization_id, event_key, received_at, id, user_key, user_id, event_time, items,"
                + " payload) SELECT 'org-' || (i % " + USERS + " + 1) % 10, 'ev-' || i, now(), 'ev-' || i,"
                + " 'user-' || (i % " + USERS + " + 1), 'user-' || (i % " + USERS + " + 1), now(), '[]', '{}'"
                + " FROM generate_series(1, " + 2 * USERS + ") i");
        sql("INSERT INTO event_keys (organization_id, dedup_key, event_id, received_at)"
                + " SELECT 'org-' || (i % " + USERS + " + 1) % 10, 'dk-' || i, 'ev-' || i, now()"
                + " FROM generate_series(2, " + 2 * USERS + ", 2) i");
    }

    private void prepare(String name, String statement, String... arguments) throws Exception {
        sql("PREPARE " + name + " AS " + statement);
        prepared.put(name, arguments.length == 0 ? "" : "(" + String.join(", ", arguments) + ")");
    }

    private static String[] eventArguments() {
        String[] ids = ids();
        return new String[]{texts(orgs()), texts(ids), texts(ids), repeat("now()", "timestamptz"),
                nulls("timestamptz"), nulls("timestamptz"), repeat("now()", "timestamptz"), texts(users()),
                texts(users()), nulls("text"), repeat("'FR'", "text"), nulls("text"), repeat("'gdpr'", "text"),
                nulls("text"), nulls("text"), repeat("'web'", "text"), repeat("'2.1.0'", "text"), nulls("text"),
                repeat("'[]'", "text"), repeat("'203.0.113.9'", "text"), nulls("text"), nulls("text"),
                repeat("'{}'", "text"), repeat("'key-1'", "text"), repeat("'{}'", "text"), repeat("'{}'", "text"),
                repeat("1", "int"), repeat("'BE'", "text"), nulls("text"), nulls("text")};
    }

    private static String[] ids() {
        return IntStream.rangeClosed(1, KEYS).mapToObj(i -> "new-" + i).toArray(String[]::new);
    }

    private static String[] users() {
        return IntStream.rangeClosed(1, KEYS).mapToObj(i -> "user-" + (10 * i + 1)).toArray(String[]::new);
    }

    private static String[] orgs() {
        String[] orgs = new String[KEYS];
        Arrays.fill(orgs, "org-1");
        return orgs;
    }

    private static String[] dedupKeys() {
        // keys of events of org-1 (event i belongs to user i % USERS + 1)
        return IntStream.rangeClosed(1, KEYS).mapToObj(i -> "dk-" + 10 * i).toArray(String[]::new);
    }

    private static String texts(String... values) {
        return Stream.of(values).map(v -> "'" + v.replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "ARRAY[", "]::text[]"));
    }

    private static String repeat(String value, String type) {
        return Stream.generate(() -> value).limit(KEYS)
                .collect(Collectors.joining(", ", "ARRAY[", "]::" + type + "[]"));
    }

    private static String nulls(String type) {
        return repeat("NULL", type);
    }

    private static List<Path> migrations() throws IOException, URISyntaxException {
        Path dir = Path.of(PlanStabilityTest.class.getClassLoader().getResource("db/migration").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> scripts = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().substring(1,
                            f.getFileName().toString().indexOf("__")))))
                    .toList();
            assertFalse(scripts.isEmpty(), "no migration scripts in " + dir);
            return scripts;
        }
    }

    private RowSet<Row> sql(String sql) throws Exception {
        return await(conn.query(sql).execute());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }
}
