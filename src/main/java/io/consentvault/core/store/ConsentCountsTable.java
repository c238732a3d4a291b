package io.consentvault.core.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The analytics rollup ({@code consent_counts} and {@code purpose_counts}, migration V10): per organization, UTC hour
 * of {@code event_time} and writer, the events, the items of the four banner actions, and per purpose the records of
 * each change. Every statement that stores or deletes events changes the counts in the same statement, from the rows
 * it really stored or deleted ({@link #change}), so the rollup always sums to the vault's records, retries included.
 * Stateless.
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
     * A statement that runs {@code rows}, CTEs the last of which is named {@code counted} and yields the
     * {@code organization_id, event_time, items, item_changes} of events stored ({@code sign} 1) or deleted
     * ({@code sign} -1), and changes the counts of writer {@code writer} (SQL: a literal or a parameter) by them.
     * Rows are upserted in key order, so that two statements of one writer cannot deadlock.
     */
    public static String change(String rows, String writer, int sign) {
        String s = sign < 0 ? "-" : "";
        return "WITH " + rows
                + """
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
                            ON CONFLICT (organization_id, hour, purpose, writer) DO UPDATE
                            SET granted = c.granted + excluded.granted, renewed = c.renewed + excluded.renewed,
                                withdrawn = c.withdrawn + excluded.withdrawn, refused = c.refused + excluded.refused
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
                        ON CONFLICT (organization_id, hour, writer) DO UPDATE
                        SET events = c.events + excluded.events, shown = c.shown + excluded.shown,
                            agree_to_all = c.agree_to_all + excluded.agree_to_all,
                            disagree_to_all = c.disagree_to_all + excluded.disagree_to_all,
                            save_choices = c.save_choices + excluded.save_choices
                        """
                        .formatted(HOUR.formatted("event_time"), writer, s);
    }
}
