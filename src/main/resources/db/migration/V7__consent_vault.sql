-- The consent vault: one record per item of events[] of every stored event, searchable the moment its event is
-- acknowledged. A record is not a row of its own: it is an item of its event's row, which already holds every field of
-- it (the item as sent in items, the event's fields beside it). What only the write knows is stored with the event, in
-- its insert, one array element per item: what each item decides (item_decisions) and what it did to the user's state
-- when stored (item_changes: granted, renewed, withdrawn, refused, superseded; null for events stored before).
-- So the vault costs ingest one index and two small arrays per event, not a row and two index entries per item (that
-- design measured 20% to 45% of the single-event throughput); and records follow their event by construction:
-- retention drops them with its month, erasure deletes them with the events, the default-partition move moves them.
--
-- Reads are bounded by organization and ordered by (created_at, event_id, event_index), usually in a time range:
-- events_vault_time_idx serves every first page as an index range scan per partition, merged in created_at order
-- (ties, rare, sorted by event id and index as they come) and stopped at the limit; one user's records come through
-- events_user_history_idx. Other filters are checked on the items the scan meets.
ALTER TABLE events ADD COLUMN api_key_id text;
ALTER TABLE events ADD COLUMN item_decisions boolean[];
ALTER TABLE events ADD COLUMN item_changes text[];
ALTER TABLE events ALTER COLUMN item_decisions SET STATISTICS 0;
ALTER TABLE events ALTER COLUMN item_changes SET STATISTICS 0;

CREATE INDEX events_vault_time_idx ON events (organization_id, event_time);

-- What the items of the events stored before the vault decide (ConsentRules.valueOf: a boolean value, else the action).
UPDATE events e SET item_decisions = d.decisions
FROM (
    SELECT e2.organization_id, e2.event_key, e2.received_at,
           array_agg(CASE
                         WHEN jsonb_typeof(item.v->'value') = 'boolean' THEN (item.v->>'value')::boolean
                         WHEN item.v->>'action' IN ('consent.given', 'preferences.click.agreetoall') THEN true
                         WHEN item.v->>'action' IN ('consent.refused', 'preferences.click.disagreetoall') THEN false
                     END ORDER BY item.n) AS decisions
    FROM events e2
    CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e2.items) = 'array' THEN e2.items ELSE '[]' END)
        WITH ORDINALITY AS item(v, n)
    GROUP BY e2.organization_id, e2.event_key, e2.received_at
) d
WHERE e.organization_id = d.organization_id AND e.event_key = d.event_key AND e.received_at = d.received_at;

-- A record's opaque id, computed, never stored: its created_at and receive time (microseconds since the epoch, 8 bytes
-- each, big-endian), its index (4 bytes) and its event's key (UTF-8), URL-safe base64 without padding
-- (RecordsTable.id and parseId are the same rule in Java). The created_at leads a lookup to events_vault_time_idx.
CREATE FUNCTION consent_record_id(created timestamptz, received timestamptz, idx integer, event_key text)
    RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN translate(encode(int8send((extract(epoch FROM created) * 1000000)::bigint)
                            || int8send((extract(epoch FROM received) * 1000000)::bigint)
                            || int4send(idx) || convert_to(event_key, 'UTF8'), 'base64'), E'+/=\n', '-_');

-- The records, with the fields of the API. An item field of another type than the schema's is null (EventItem.of);
-- organization_user_id is ExportLayout.organizationUserId. Text compares by code point (COLLATE "C") on any
-- PostgreSQL, whatever the database's collation; organization_id and user_key keep the events' collation, so that
-- the bounds on them match the indexes (they are only ever compared for equality there).
CREATE VIEW consent_records AS
SELECT e.organization_id,
       e.event_key,
       e.received_at,
       (item.n - 1)::integer                                                                      AS event_index,
       e.id COLLATE "C"                                                                           AS event_id,
       e.event_time                                                                               AS created_at,
       e.user_key,
       e.user_id COLLATE "C"                                                                      AS user_id,
       (CASE WHEN e.user_type = 'didomi' THEN NULL ELSE e.user_id END) COLLATE "C"                AS organization_user_id,
       (CASE WHEN jsonb_typeof(item.v->'action') = 'string' THEN item.v->>'action' END) COLLATE "C" AS action,
       (CASE WHEN jsonb_typeof(item.v->'purpose') = 'string' THEN item.v->>'purpose' END) COLLATE "C" AS purpose,
       (CASE WHEN jsonb_typeof(item.v->'vendor') = 'string' THEN item.v->>'vendor' END) COLLATE "C" AS vendor,
       (CASE WHEN jsonb_typeof(item.v->'legal_basis') = 'string' THEN item.v->>'legal_basis' END) COLLATE "C"
                                                                                                  AS legal_basis,
       CASE WHEN jsonb_typeof(item.v->'value') = 'boolean' THEN (item.v->>'value')::boolean END   AS value,
       e.item_decisions[item.n]                                                                   AS decision,
       e.item_changes[item.n] COLLATE "C"                                                         AS change,
       e.regulation COLLATE "C"                                                                   AS regulation,
       e.notice_id COLLATE "C"                                                                    AS notice_id,
       e.country COLLATE "C"                                                                      AS country,
       e.region COLLATE "C"                                                                       AS region,
       e.source_type COLLATE "C"                                                                  AS source_type,
       e.sdk_version COLLATE "C"                                                                  AS sdk_version,
       e.api_key_id COLLATE "C"                                                                   AS api_key_id,
       -- the whole event's items and changes, not fields: a filter on an item's field is first checked on them,
       -- before the event's items are taken apart (RecordRepository), which a rare value makes worth it
       e.items                                                                                    AS event_items,
       e.item_changes                                                                             AS event_changes
FROM events e
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.items) = 'array' THEN e.items ELSE '[]' END)
    WITH ORDINALITY AS item(v, n);

-- The key that signs the vault's cursors, shared by every replica (a cursor works on any of them) and never sent.
CREATE TABLE vault_cursor_keys (
    id     integer PRIMARY KEY,
    secret text    NOT NULL
);
INSERT INTO vault_cursor_keys VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
