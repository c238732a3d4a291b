package io.consentvault.export.run;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentvault.support.Api;
import io.consentvault.support.Events;
import io.consentvault.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schedule owes each organization every day since its last scheduled run, up to the day before the schedule's
 * last firing, and queues each once, whichever replica asks.
 */
@QuarkusTest
class ExportScheduleTest {

    @Inject
    ExportRuns runs;

    @Test
    void theLastDayOwedIsTheDayBeforeTheLastFiring() {
        String daily = "0 0 2 * * ?";
        assertEquals(Optional.of(LocalDate.parse("2026-11-25")),
                ExportSchedule.lastDayOwed(daily, ZonedDateTime.parse("2026-11-27T01:59:59Z")));
        assertEquals(Optional.of(LocalDate.parse("2026-11-26")),
                ExportSchedule.lastDayOwed(daily, ZonedDateTime.parse("2026-11-27T02:00:00Z")));
        assertEquals(Optional.of(LocalDate.parse("2026-11-26")),
                ExportSchedule.lastDayOwed(daily, ZonedDateTime.parse("2026-11-27T23:00:00+01:00")));
        assertTrue(ExportSchedule.off("off"));
        assertTrue(ExportSchedule.off("disabled"));
        assertFalse(ExportSchedule.off(daily));
    }

    @Test
    void aReplicaThatWasDownCatchesUpTheDaysItMissedAndEachDayIsQueuedOnce() throws Exception {
        String org = Events.unique("org-schedule");
        Api.key(org);
        TestDatabase
                .execute("UPDATE organizations SET created_at = now() - interval '60 days' WHERE id = '" + org + "'");
        TestDatabase.execute("INSERT INTO export_runs (id, organization_id, date, trigger, status, created_at)"
                + " VALUES ('exp_sched_" + org + "', '" + org
                + "', DATE '2026-11-20', 'scheduled', 'succeeded', now())");
        LocalDate yesterday = LocalDate.parse("2026-11-26");
        assertEquals(6, queue(yesterday, org), "the 21st to the 26th");
        assertEquals(0, queue(yesterday, org), "queued once, however many replicas ask");
        assertEquals(List.of("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25",
                "2026-11-26"),
                List.copyOf(new java.util.TreeSet<>(TestDatabase.texts(
                        "SELECT date::text FROM export_runs WHERE organization_id = ? AND trigger = 'scheduled'",
                        org))));
        // a long downtime is caught up within its bound
        String late = Events.unique("org-schedule");
        Api.key(late);
        TestDatabase.execute("UPDATE organizations SET created_at = now() - interval '400 days' WHERE id = '" + late
                + "'");
        TestDatabase.execute("INSERT INTO export_runs (id, organization_id, date, trigger, status, created_at)"
                + " VALUES ('exp_sched_" + late + "', '" + late + "', DATE '2026-01-01', 'scheduled', 'succeeded',"
                + " now())");
        assertEquals(31, queue(yesterday, late));
    }

    private int queue(LocalDate yesterday, String org) throws Exception {
        return runs.queueOwed(yesterday, 31, org).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
