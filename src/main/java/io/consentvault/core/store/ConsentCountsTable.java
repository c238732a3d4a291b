package io.consentvault.core.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.EventItem;
import io.vertx.sqlclient.Tuple;

/**
 * The analytics rollup ({@code consent_counts} and {@code purpose_counts}, migration V10): per organization, UTC hour
 * of {@code event_time} and writer, the events, the items of the four banner actions, and per purpose the records of
 * each change, kept in the transactions that store and delete events, so the rollup always sums to the vault's
 * records. A batch's first attempt, which stores every event it is given or fails, adds counts made in Java from the
 * same events and item changes it inserts ({@link #ADD}, {@link #add}: a few rows, one small statement, no item taken
 * apart in the database); a statement that may store or delete fewer rows than it was given (a batch written again
 * after an unanswered commit, an erasure, retention) changes the counts in the same statement from the rows it really
 * stored or deleted ({@link #change}). Stateless.
 */
public final class ConsentCountsTable {

    /** The writer of maintenance (erasure, retention, the migration's rebuild); its counts may go below zero. */
    public static final int MAINTENANCE = 0;

    /**
     * Where this replica's writers start: a number picked once per process among 4096, so that two replicas' lanes
     * seldom add to the same rows (they would only wait for each other; the sums stay right).
     */
    private static final int REPLICA = 1 + ThreadLocalRandom.current().nextInt(4096);

    /** The start of an instant's UTC hour, in SQL, whatever the session's time zone. */
    public static final String HOUR = "date_bin('1 hour', %s, timestamptz '2000-01-01 00:00:00+00')";

    /** How a row written to {@code consent_counts} (as {@code c}) meets the row it conflicts with: the counts add up. */
    private static final String ADD_COUNTS = """
            ON CONFLICT (organization_id, hour, writer) DO UPDATE
            SET events = c.events + excluded.events, shown = c.shown + excluded.shown,
                agree_to_all = c.agree_to_all + excluded.agree_to_all,
                disagree_to_all = c.disagree_to_all + excluded.disagree_to_all,
                save_choices = c.save_choices + excluded.save_choices
            """;

    /** {@link #ADD_COUNTS} for {@code purpose_counts}. */
    private static final String ADD_PURPOSE_COUNTS = """
            ON CONFLICT (organization_id, hour, purpose, writer) DO UPDATE
            SET granted = c.granted + excluded.granted, renewed = c.renewed + excluded.renewed,
                withdrawn = c.withdrawn + excluded.withdrawn, refused = c.refused + excluded.refused
            """;

    private ConsentCountsTable() {
    }

    /**
     * The writer a lane adds as: rows of its own, so that the batches of two lanes never wait for each other on a
     * row of the same hour.
     */
    public static int writer(int lane) {
        return 1 + (REPLICA + lane) % Short.MAX_VALUE;
    }

    /**
     * Adds counts as writer $1: $2 to $8 the rows of {@code consent_counts} (organization, hour, events, shown, agree
     * to all, disagree to all, save choices), $9 to $15 those of {@code purpose_counts} (organization, hour, purpose,
     * granted, renewed, withdrawn, refused), each row once, in key order ({@link #add}).
     */
    public static final String ADD = """
            WITH purposes AS (
                INSERT INTO purpose_counts AS c (organization_id, hour, purpose, writer, granted, renewed, withdrawn,
                                                 refused)
                SELECT p.organization_id, p.hour, p.purpose, $1, p.granted, p.renewed, p.withdrawn, p.refused
                FROM unnest($9::text[], $10::timestamptz[], $11::text[], $12::bigint[], $13::bigint[], $14::bigint[],
                            $15::bigint[]) AS p(organization_id, hour, purpose, granted, renewed, withdrawn, refused)
                """ + ADD_PURPOSE_COUNTS
            + """
                    )
                    INSERT INTO consent_counts AS c (organization_id, hour, writer, events, shown, agree_to_all, disagree_to_all,
                                                     save_choices)
                    SELECT h.organization_id, h.hour, $1, h.events, h.shown, h.agree_to_all, h.disagree_to_all, h.save_choices
                    FROM unnest($2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
                                $8::bigint[]) AS h(organization_id, hour, events, shown, agree_to_all, disagree_to_all, save_choices)
                    """
            + ADD_COUNTS;

    /**
     * Folds the rows of every writer but maintenance for hours before $1 into maintenance's row of the hour, so that a
     * past hour keeps one row however many lanes and restarts added to it (the answer sums the same). One statement a
     * table, this one and {@link #COMPACT_PURPOSES}, each reading only the partial index of {@code writer <> 0} rows:
     * recent hours, and the few rows late events add to older ones.
     */
    public static final String COMPACT = """
            WITH moved AS (
                DELETE FROM consent_counts WHERE hour < $1 AND writer <> 0
                RETURNING organization_id, hour, events, shown, agree_to_all, disagree_to_all, save_choices
            )
            INSERT INTO consent_counts AS c (organization_id, hour, writer, events, shown, agree_to_all, disagree_to_all,
                                             save_choices)
            SELECT organization_id, hour, 0, sum(events), sum(shown), sum(agree_to_all), sum(disagree_to_all),
                   sum(save_choices)
            FROM moved GROUP BY 1, 2 ORDER BY 1, 2
            """
            + ADD_COUNTS;

    /** {@link #COMPACT}'s second statement: the same for {@code purpose_counts}. */
    public static final String COMPACT_PURPOSES = """
            WITH moved AS (
                DELETE FROM purpose_counts WHERE hour < $1 AND writer <> 0
                RETURNING organization_id, hour, purpose, granted, renewed, withdrawn, refused
            )
            INSERT INTO purpose_counts AS c (organization_id, hour, purpose, writer, granted, renewed, withdrawn, refused)
            SELECT organization_id, hour, purpose, 0, sum(granted), sum(renewed), sum(withdrawn), sum(refused)
            FROM moved GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """
            + ADD_PURPOSE_COUNTS;

    /**
     * The banner actions counted, in the order of {@code consent_counts}' columns after {@code events} (an immutable
     * list: {@code indexOf(null)} throws, so nulls are tested first).
     */
    private static final List<String> ACTIONS = List.of("preference.shown", "preferences.click.agreetoall",
            "preferences.click.disagreetoall", "preferences.click.savechoices");
    /** The changes counted, in the order of {@code purpose_counts}' columns. */
    private static final List<String> CHANGES = List.of("granted", "renewed", "withdrawn", "refused");

    /**
     * The arguments of {@link #ADD} for events all stored, with what their items changed ({@code effects}, as
     * {@link EventsTable#arrays} writes them): read as {@link #change} reads the stored rows, the action as sent, the
     * purpose when it is a string (an {@link EventItem}'s fields are null otherwise), the n-th change beside the n-th
     * item. Null when there is nothing to add.
     */
    public static Tuple add(int writer, List<ConsentEvent> stored, Map<ConsentEvent, BatchMerge.Effect> effects) {
        Map<String, Map<Instant, long[]>> hours = new TreeMap<>();
        Map<String, Map<Instant, Map<String, long[]>>> purposes = new TreeMap<>();
        for (ConsentEvent e : stored) {
            Instant hour = Instant.ofEpochSecond(Math.floorDiv(e.eventTime().getEpochSecond(), 3600) * 3600);
            long[] h = hours.computeIfAbsent(e.organizationId(), o -> new TreeMap<>()).computeIfAbsent(hour,
                    t -> new long[5]);
            h[0]++;
            List<EventItem> items = e.eventItems() == null ? List.of() : e.eventItems();
            BatchMerge.Effect effect = effects.get(e);
            String[] changes = effect == null ? null : effect.changes();
            for (int i = 0; i < items.size(); i++) {
                EventItem item = items.get(i);
                int action = item.action() == null ? -1 : ACTIONS.indexOf(item.action());
                if (action >= 0) {
                    h[1 + action]++;
                }
                String changed = changes == null || i >= changes.length ? null : changes[i];
                int change = changed == null ? -1 : CHANGES.indexOf(changed);
                if (item.purpose() != null && change >= 0) {
                    purposes.computeIfAbsent(e.organizationId(), o -> new TreeMap<>())
                            .computeIfAbsent(hour, t -> new TreeMap<>())
                            .computeIfAbsent(item.purpose(), p -> new long[4])[change]++;
                }
            }
        }
        if (hours.isEmpty()) {
            return null;
        }
        Rows h = new Rows(hours.values().stream().mapToInt(Map::size).sum(), 5);
        hours.forEach((org, byHour) -> byHour.forEach((hour, n) -> h.add(org, hour, null, n)));
        Rows p = new Rows(purposes.values().stream().flatMap(m -> m.values().stream()).mapToInt(Map::size).sum(), 4);
        purposes.forEach((org, byHour) -> byHour.forEach(
                (hour, byPurpose) -> byPurpose.forEach((purpose, n) -> p.add(org, hour, purpose, n))));
        Tuple t = Tuple.tuple().addShort((short) writer).addArrayOfString(h.org)
                .addArrayOfOffsetDateTime(h.hour);
        for (Long[] column : h.counts) {
            t.addArrayOfLong(column);
        }
        t.addArrayOfString(p.org).addArrayOfOffsetDateTime(p.hour).addArrayOfString(p.purpose);
        for (Long[] column : p.counts) {
            t.addArrayOfLong(column);
        }
        return t;
    }

    /** Rows of one table of {@link #ADD}, as its column arrays. */
    private static final class Rows {
        final String[] org, purpose;
        final OffsetDateTime[] hour;
        final Long[][] counts;
        int n;

        Rows(int size, int columns) {
            org = new String[size];
            purpose = new String[size];
            hour = new OffsetDateTime[size];
            counts = new Long[columns][size];
        }

        void add(String organization, Instant start, String purposeId, long[] values) {
            org[n] = organization;
            hour[n] = start.atOffset(ZoneOffset.UTC);
            purpose[n] = purposeId;
            for (int c = 0; c < values.length; c++) {
                counts[c][n] = values[c];
            }
            n++;
        }
    }

    /**
     * A statement that runs {@code rows}, CTEs the last of which is named {@code counted} and yields the
     * {@code organization_id, event_time, items, item_changes} of events stored ({@code sign} 1) or deleted
     * ({@code sign} -1), and changes the counts of writer {@code writer} (SQL: a literal or a parameter) by them.
     * Rows are upserted in key order, so that two statements of one writer cannot deadlock.
     */
    public static String change(String rows, String writer, int sign) {
        String s = sign < 0 ? "-" : "";
        return "WITH " + rows
                + ("""
                        , counted_hour AS (
                            SELECT organization_id, %1$s AS hour, items, item_changes FROM counted
                        ), counted_item AS (
                            SELECT organization_id, hour,
                                   jsonb_array_elements(CASE WHEN jsonb_typeof(items) = 'array' THEN items ELSE '[]' END) AS item,
                                   unnest(item_changes) AS change
                            FROM counted_hour
                        ), counted_purposes AS (
                            INSERT INTO purpose_counts AS c (organization_id, hour, purpose, writer, granted, renewed, withdrawn,
                                                             refused)
                            SELECT organization_id, hour, item->>'purpose', %2$s, %3$scount(*) FILTER (WHERE change = 'granted'),
                                   %3$scount(*) FILTER (WHERE change = 'renewed'), %3$scount(*) FILTER (WHERE change = 'withdrawn'),
                                   %3$scount(*) FILTER (WHERE change = 'refused')
                            FROM counted_item
                            WHERE jsonb_typeof(item->'purpose') = 'string' AND change IN ('granted', 'renewed', 'withdrawn', 'refused')
                            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                            """
                        + ADD_PURPOSE_COUNTS
                        + """
                                )
                                INSERT INTO consent_counts AS c (organization_id, hour, writer, events, shown, agree_to_all, disagree_to_all,
                                                                 save_choices)
                                SELECT h.organization_id, h.hour, %2$s, %3$sh.events, %3$scoalesce(a.shown, 0), %3$scoalesce(a.agree_to_all, 0),
                                       %3$scoalesce(a.disagree_to_all, 0), %3$scoalesce(a.save_choices, 0)
                                FROM (SELECT organization_id, hour, count(*) AS events FROM counted_hour GROUP BY 1, 2) h
                                LEFT JOIN (SELECT organization_id, hour,
                                                  count(*) FILTER (WHERE item->>'action' = 'preference.shown') AS shown,
                                                  count(*) FILTER (WHERE item->>'action' = 'preferences.click.agreetoall') AS agree_to_all,
                                                  count(*) FILTER (WHERE item->>'action' = 'preferences.click.disagreetoall')
                                                      AS disagree_to_all,
                                                  count(*) FILTER (WHERE item->>'action' = 'preferences.click.savechoices') AS save_choices
                                           FROM counted_item GROUP BY 1, 2) a USING (organization_id, hour)
                                ORDER BY 1, 2
                                """
                        + ADD_COUNTS).formatted(HOUR.formatted("event_time"), writer, s);
    }
}
