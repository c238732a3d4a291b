package io.consentvault.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentvault.ingest.batch.EventWriter;
import io.consentvault.ingest.model.EventNormalizer;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.Poll;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events land in the monthly partition of their receive time; outside the prepared months, in the default one, and move
 * when their month is prepared, even while being inserted.
 */
@QuarkusTest
class PartitionsTest {

    @Inject
    PartitionMaintainer maintainer;

    @Inject
    EventWriter writer;

    @Inject
    StorageConfig config;

    @Test
    void theCurrentMonthAndTheMonthsAheadArePreparedAtStart() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        List<String> partitions = maintainer.partitions();
        for (int i = 0; i <= config.partitionsAhead(); i++) {
            assertTrue(partitions.contains(name(now.plusMonths(i))), partitions.toString());
        }
    }

    @Test
    void anEventLandsInThePartitionOfItsReceiveTime() {
        String org = Events.unique("org-part");
        Api.as(org).contentType(ContentType.JSON).body(Events.event(org, "u")).when().post("/v1/consents/events")
                .then().statusCode(201);
        assertEquals(name(YearMonth.now(ZoneOffset.UTC)), TestDatabase
                .text("SELECT tableoid::regclass::text FROM events WHERE organization_id = ?", org));
    }

    @Test
    void anEventOutsideThePreparedMonthsLandsInTheDefaultAndMovesWhenItsMonthIsPrepared() throws Exception {
        String org = Events.unique("org-far");
        Instant farFuture = Instant.parse("2071-05-10T12:00:00Z");
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Events.event(org, "u"));
        var event = EventNormalizer.normalize(node, node.toString(),
                new RequestContext(farFuture, "203.0.113.9", "test", null, null), null, null);
        writer.write(List.of(event), false, 0).toCompletionStage().toCompletableFuture().get();
        assertEquals("events_default", TestDatabase
                .text("SELECT tableoid::regclass::text FROM events WHERE organization_id = ?", org));

        maintainer.ensurePartitions(YearMonth.of(2071, 5), YearMonth.of(2071, 5));

        assertEquals("events_p207105", TestDatabase
                .text("SELECT tableoid::regclass::text FROM events WHERE organization_id = ?", org));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
        // the receive time is kept, and the client's time is kept beside it
        assertEquals("2071-05-10 12:00:00+00", TestDatabase
                .text("SELECT received_at AT TIME ZONE 'UTC' || '+00' FROM events WHERE organization_id = ?", org));
    }

    @Test
    void retentionDropsAMonthAndTheDefaultPartitionsOlderRowsWithTheirAnalyticsCounts() throws Exception {
        String org = Events.unique("org-retained");
        maintainer.ensurePartitions(YearMonth.of(1990, 1), YearMonth.of(1990, 1));
        write(org, Instant.parse("1990-01-10T12:00:00Z")); // events_p199001
        write(org, Instant.parse("1989-06-01T12:00:00Z")); // no partition: events_default
        write(org, Instant.parse("1990-02-01T00:00:00Z")); // kept: the cutoff itself
        assertEquals(3, TestDatabase.count("SELECT sum(events) FROM consent_counts WHERE organization_id = ?", org));

        maintainer.applyRetention(Instant.parse("1990-02-01T00:00:00Z"));

        assertFalse(maintainer.partitions().contains("events_p199001"));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
        assertEquals(1, TestDatabase.count("SELECT sum(events) FROM consent_counts WHERE organization_id = ?", org));
        assertEquals(1, TestDatabase.count("SELECT sum(granted) FROM purpose_counts WHERE organization_id = ?", org));
    }

    @Test
    void aBatchWrittenAgainAfterItsCommitWentUnansweredIsCountedOnce() throws Exception {
        String org = Events.unique("org-again");
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Events.event(org, "u"));
        var event = EventNormalizer.normalize(node, node.toString(),
                new RequestContext(Instant.now(), "203.0.113.9", "test", null, null), null, null);
        writer.write(List.of(event), false, 0).toCompletionStage().toCompletableFuture().get();
        // what the lane does when the commit's answer was lost: the same events again, skipping what is stored
        writer.write(List.of(event), true, 1).toCompletionStage().toCompletableFuture().get();
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM events WHERE organization_id = ?", org));
        assertEquals(1, TestDatabase.count("SELECT sum(events) FROM consent_counts WHERE organization_id = ?", org));
    }

    @Test
    void aPastHoursCountsOfEveryWriterAreFoldedIntoOneRowWithTheSameSums() throws Exception {
        String org = Events.unique("org-compacted");
        Instant now = Instant.now();
        write(org, now, 0); // user u-<now>, created_at 2026-11-01T10:00:00Z, as lane 0 adds it
        write(org, now.plusMillis(1), 1); // another user, the same hour, as lane 1
        assertEquals(2, TestDatabase.count("SELECT count(*) FROM consent_counts WHERE organization_id = ?", org));

        maintainer.compactCounts(Instant.parse("2026-11-01T11:00:00Z"));

        assertEquals("0 2", TestDatabase.text("SELECT string_agg(writer || ' ' || events, ',')"
                + " FROM consent_counts WHERE organization_id = ?", org));
        assertEquals("0 analytics 2", TestDatabase.text("SELECT string_agg(writer || ' ' || purpose || ' ' || granted,"
                + " ',') FROM purpose_counts WHERE organization_id = ?", org));
    }

    /** One event of {@link Events#event} (a purpose granted) received at {@code receivedAt}. */
    private void write(String org, Instant receivedAt) throws Exception {
        write(org, receivedAt, 0);
    }

    /** The same, written by lane {@code lane}'s writer. */
    private void write(String org, Instant receivedAt, int lane) throws Exception {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Events.event(org, "u-" + receivedAt));
        var event = EventNormalizer.normalize(node, node.toString(),
                new RequestContext(receivedAt, "203.0.113.9", "test", null, null), null, null);
        writer.write(List.of(event), false, lane).toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void anEventStillUncommittedWhenItsMonthIsPreparedEndsUpInThatMonth() throws Exception {
        String org = Events.unique("org-race");
        YearMonth month = YearMonth.of(2072, 3);
        ExecutorService maintenance = Executors.newSingleThreadExecutor();
        try (Connection inserter = TestDatabase.connect()) {
            inserter.setAutoCommit(false);
            try (PreparedStatement insert = inserter.prepareStatement("""
                    INSERT INTO events (organization_id, event_key, received_at, id, event_time, items, payload)
                    VALUES (?, 'e-1', '2072-03-10 12:00:00+00', 'e-1', '2072-03-10 12:00:00+00', '[]', '{}')
                    """)) {
                insert.setString(1, org);
                insert.executeUpdate(); // no partition for that month yet: the row is in events_default, uncommitted
            }
            Future<List<YearMonth>> prepared = maintenance.submit(() -> maintainer.ensurePartitions(month, month));
            Poll.until("the maintainer waiting for the inserter's lock on events_default", Duration.ofMinutes(1),
                    () -> TestDatabase.count("SELECT count(*) FROM pg_locks"
                            + " WHERE relation = 'events_default'::regclass AND NOT granted") > 0);
            inserter.commit();
            assertEquals(List.of(), prepared.get(1, TimeUnit.MINUTES));
        } finally {
            maintenance.shutdownNow();
        }
        assertEquals("events_p207203", TestDatabase
                .text("SELECT tableoid::regclass::text FROM events WHERE organization_id = ?", org));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM events_default"
                + " WHERE received_at >= '2072-03-01 00:00:00+00' AND received_at < '2072-04-01 00:00:00+00'"));
    }

    @Test
    void aMonthThatCannotBePreparedDoesNotKeepTheNextOnesFromBeingPrepared() {
        // a type of that name: CREATE TABLE for the month fails
        TestDatabase.execute("CREATE DOMAIN events_p207205 AS integer");
        try {
            List<YearMonth> failed = maintainer.ensurePartitions(YearMonth.of(2072, 5), YearMonth.of(2072, 7));
            assertEquals(List.of(YearMonth.of(2072, 5)), failed);
            List<String> partitions = maintainer.partitions();
            assertFalse(partitions.contains("events_p207205"), partitions.toString());
            assertTrue(partitions.containsAll(List.of("events_p207206", "events_p207207")), partitions.toString());
        } finally {
            TestDatabase.execute("DROP DOMAIN events_p207205");
        }
    }

    private static String name(YearMonth month) {
        return DateTimeFormatter.ofPattern("'events_p'yyyyMM").format(month);
    }
}
