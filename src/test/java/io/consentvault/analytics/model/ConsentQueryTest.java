package io.consentvault.analytics.model;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The parameters of the analytics route: defaults, UTC buckets, and what is refused. */
class ConsentQueryTest {

    static final Instant NOW = Instant.parse("2026-11-27T14:35:10Z");

    static ConsentQuery query(String from, String to, String interval) {
        return ConsentQuery.of("org", from, to, interval, null, NOW);
    }

    static List<String> refused(Runnable query) {
        return assertThrows(ProblemException.class, query::run).problem().errors().stream().map(FieldError::query)
                .toList();
    }

    @Test
    void bucketsAreTheUtcDaysOrHoursThatMeetTheRange() {
        ConsentQuery q = query("2026-11-01T10:00:00+02:00", "2026-11-03T00:00:00.001Z", null);
        assertEquals(Instant.parse("2026-11-01T08:00:00Z"), q.from());
        assertEquals(List.of(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"),
                Instant.parse("2026-11-03T00:00:00Z")), q.bucketStarts());
        assertEquals(List.of(Instant.parse("2026-11-01T22:00:00Z"), Instant.parse("2026-11-01T23:00:00Z")),
                query("2026-11-01T23:30:00+01:00", "2026-11-02T00:00:00Z", "hour").bucketStarts());
        // a negative offset whose local day is the day before: still the UTC day
        assertEquals(List.of(Instant.parse("2026-11-02T00:00:00Z")),
                query("2026-11-01T20:00:00-05:00", "2026-11-01T23:00:00-05:00", "day").bucketStarts());
    }

    @Test
    void defaultsEndWithTheCurrentBucket() {
        ConsentQuery days = query(null, null, null);
        assertEquals(Interval.DAY, days.interval());
        assertEquals(Instant.parse("2026-11-28T00:00:00Z"), days.to());
        assertEquals(Instant.parse("2026-10-29T00:00:00Z"), days.from());
        assertEquals(30, days.bucketStarts().size());
        ConsentQuery hours = query(null, null, "hour");
        assertEquals(Instant.parse("2026-11-27T15:00:00Z"), hours.to());
        assertEquals(48, hours.bucketStarts().size());
        // to alone: 30 buckets, the last one cut by to
        ConsentQuery before = query(null, "2026-11-01T12:00:00Z", null);
        assertEquals(Instant.parse("2026-10-03T00:00:00Z"), before.from());
        assertEquals(30, before.bucketStarts().size());
        // from in the future, alone: up to the end of its own day
        assertEquals(Instant.parse("2027-01-02T00:00:00Z"), query("2027-01-01T05:00:00Z", null, null).to());
    }

    @Test
    void atMost400Buckets() {
        assertEquals(400, query("2025-01-01", "2026-02-05", null).bucketStarts().size());
        // 399 whole days and two cut ones
        assertEquals(401, ConsentQuery.bucketCount(Instant.parse("2025-01-01T12:00:00Z"),
                Instant.parse("2026-02-05T00:00:01Z"), Interval.DAY));
        assertEquals(List.of("from"), refused(() -> query("2025-01-01T12:00:00Z", "2026-02-05T00:00:01Z", null)));
        assertEquals(400, query("2026-11-01T00:00:00Z", "2026-11-17T16:00:00Z", "hour").bucketStarts().size());
        assertEquals(List.of("from"), refused(() -> query("2026-11-01T00:00:00Z", "2026-11-17T16:00:01Z", "hour")));
    }

    @Test
    void whatIsRefusedNamesItsParameter() {
        assertEquals(List.of("interval", "from", "to"), refused(() -> query("2026-13-01", "soon", "week")));
        assertEquals(List.of("to"), refused(() -> query("2026-11-02", "2026-11-01", null)));
        assertEquals(List.of("to"), refused(() -> query("2026-11-02", "2026-11-02T00:00:00+00:00", null)));
        assertEquals(List.of("purpose"), refused(() -> ConsentQuery.of("org", null, null, null,
                IntStream.range(0, 101).mapToObj(i -> "p" + i).toList(), NOW)));
    }
}
