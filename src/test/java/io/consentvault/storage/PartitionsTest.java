package io.consentvault.storage;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentvault.ingest.batch.EventWriter;
import io.consentvault.ingest.model.EventNormalizer;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events land in the monthly partition of their receive time; outside the prepared months, in the default one. */
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
                new RequestContext(farFuture, "203.0.113.9", "test", null), null, null);
        writer.write(List.of(event), false).toCompletionStage().toCompletableFuture().get();
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

    private static String name(YearMonth month) {
        return DateTimeFormatter.ofPattern("'events_p'yyyyMM").format(month);
    }
}
