-- Consent analytics from a rollup kept in the events' own transactions: per organization and UTC hour of created_at
-- (event_time), the events, the items of the four banner actions, and per purpose the records of each change. An
-- answer then reads a few rows an hour instead of every event of its range (GET /v1/analytics/consents). The counts
-- follow their events: ingest adds what it inserted in the same transaction (ConsentCountsTable), erasure and
-- retention subtract what they delete, so the rollup always sums to the vault's records.
--
-- Distinct users cannot be summed from hours into days, so they stay a read of the events: events_vault_time_idx
-- carries user_key, which makes that read an index-only scan of the range instead of a visit to every event's row.
--
-- Each writer (a lane of a replica: ConsentCountsTable.writer) adds to rows of its own, so that concurrent batches do
-- not queue on one row per hour; writer 0 is maintenance's (this migration, erasure, retention), whose counts may go
-- below zero. Only the sum over writers means something.
CREATE TABLE consent_counts (
    organization_id text        NOT NULL,
    hour            timestamptz NOT NULL,
    writer          smallint    NOT NULL,
    events          bigint      NOT NULL,
    shown           bigint      NOT NULL,
    agree_to_all    bigint      NOT NULL,
    disagree_to_all bigint      NOT NULL,
    save_choices    bigint      NOT NULL,
    PRIMARY KEY (organization_id, hour, writer)
) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);

CREATE TABLE purpose_counts (
    organization_id text        NOT NULL,
    hour            timestamptz NOT NULL,
    purpose         text        NOT NULL,
    writer          smallint    NOT NULL,
    granted         bigint      NOT NULL,
    renewed         bigint      NOT NULL,
    withdrawn       bigint      NOT NULL,
    refused         bigint      NOT NULL,
    PRIMARY KEY (organization_id, hour, purpose, writer)
) WITH (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);

-- the rows that maintenance folds into writer 0 once their hour is past (ConsentCountsTable.COMPACT)
CREATE INDEX consent_counts_writers_idx ON consent_counts (hour) WHERE writer <> 0;
CREATE INDEX purpose_counts_writers_idx ON purpose_counts (hour) WHERE writer <> 0;

-- The counts of every stored event, as writer 0: what this migration starts from, and what an operator runs to
-- repair the rollup (SELECT rebuild_consent_counts()): once after a rolling upgrade onto this version, since replicas
-- of the version before store and erase events without counting them until they stop. It locks the counts, so ingest
-- waits while it runs (49 s at 10M records); a batch that stored its events before the lock adds its counts after it,
-- and events committed before it are counted by it, so it is exact with ingest running.
-- The same reading of the items as ConsentCountsTable and the consent_records view: the action as text, the purpose
-- when it is a string, the change from item_changes beside its item.
CREATE FUNCTION rebuild_consent_counts() RETURNS void LANGUAGE sql AS $$
LOCK TABLE consent_counts, purpose_counts IN EXCLUSIVE MODE;
DELETE FROM consent_counts;
DELETE FROM purpose_counts;
WITH item AS MATERIALIZED (
    SELECT organization_id, date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') AS hour,
           jsonb_array_elements(CASE WHEN jsonb_typeof(items) = 'array' THEN items ELSE '[]' END) AS item,
           unnest(item_changes) AS change
    FROM events
), purposes AS (
    INSERT INTO purpose_counts (organization_id, hour, purpose, writer, granted, renewed, withdrawn, refused)
    SELECT organization_id, hour, item->>'purpose', 0, count(*) FILTER (WHERE change = 'granted'),
           count(*) FILTER (WHERE change = 'renewed'), count(*) FILTER (WHERE change = 'withdrawn'),
           count(*) FILTER (WHERE change = 'refused')
    FROM item
    WHERE jsonb_typeof(item->'purpose') = 'string' AND change IN ('granted', 'renewed', 'withdrawn', 'refused')
    GROUP BY 1, 2, 3
)
INSERT INTO consent_counts (organization_id, hour, writer, events, shown, agree_to_all, disagree_to_all, save_choices)
SELECT h.organization_id, h.hour, 0, h.events, coalesce(a.shown, 0), coalesce(a.agree_to_all, 0),
       coalesce(a.disagree_to_all, 0), coalesce(a.save_choices, 0)
FROM (SELECT organization_id, date_bin('1 hour', event_time, timestamptz '2000-01-01 00:00:00+00') AS hour,
             count(*) AS events
      FROM events GROUP BY 1, 2) h
LEFT JOIN (SELECT organization_id, hour,
                  count(*) FILTER (WHERE item->>'action' = 'preference.shown') AS shown,
                  count(*) FILTER (WHERE item->>'action' = 'preferences.click.agreetoall') AS agree_to_all,
                  count(*) FILTER (WHERE item->>'action' = 'preferences.click.disagreetoall') AS disagree_to_all,
                  count(*) FILTER (WHERE item->>'action' = 'preferences.click.savechoices') AS save_choices
           FROM item GROUP BY 1, 2) a USING (organization_id, hour);
$$;

SELECT rebuild_consent_counts();

-- built beside the old index (a share lock: reads go on while it builds), which is then swapped for it
CREATE INDEX events_vault_time_users_idx ON events (organization_id, event_time) INCLUDE (user_key);
DROP INDEX events_vault_time_idx;
ALTER INDEX events_vault_time_users_idx RENAME TO events_vault_time_idx;
