-- The consent vault: one record per item of events[] of every stored event, written in the event's transaction.
-- Range-partitioned by the event's receive time like events, month for month, so that retention drops a month of
-- records with its events and the default-partition move moves them together. Strings compare by code point
-- (COLLATE "C") on any PostgreSQL, whatever the database's collation.
--
-- Reads are bounded by organization and ordered by (created_at, event_id, event_index), usually in a time range:
-- consent_records_time_idx serves every first page as an index range scan per partition, merged in created_at order
-- (ties, rare, sorted by event_id and index as they come) and stopped at the limit; consent_records_user_idx does the
-- same within one user, and finds a user's records for erasure. Other filters are checked on the rows the scan meets.
-- No index holds a client's text whole (an event or user id may be thousands of characters): user_key is bounded.
--
-- No primary key: a record is found by its id, which carries its created_at (a probe of consent_records_time_idx),
-- its receive time (one partition) and its event's key and index. A unique index on (event_key, ...) would be a third
-- index, and one written at random places (event keys are the clients' ids): after each checkpoint every leaf it
-- touches is written whole to the WAL. Measured in one service process at c64: records with that key cost 45% of the
-- ingest throughput, without it 12%. Records are written only with their event's first insert, in its transaction, so
-- a record cannot be written twice (see RecordInserts).
ALTER TABLE events ADD COLUMN api_key_id text;

CREATE TABLE consent_records (
    organization_id      text COLLATE "C" NOT NULL,
    -- the event's primary key (events: organization_id, event_key, received_at) and the item's index in events[]
    event_key            text        NOT NULL,
    received_at          timestamptz NOT NULL,
    event_index          integer     NOT NULL,
    event_id             text COLLATE "C" NOT NULL,
    -- the event's created_at, else its receive time
    created_at           timestamptz NOT NULL,
    user_key             text,
    user_id              text COLLATE "C",
    organization_user_id text COLLATE "C",
    action               text COLLATE "C",
    purpose              text COLLATE "C",
    vendor               text COLLATE "C",
    legal_basis          text COLLATE "C",
    value                boolean,
    decision             boolean,
    change               text COLLATE "C",
    regulation           text COLLATE "C",
    notice_id            text COLLATE "C",
    country              text COLLATE "C",
    region               text COLLATE "C",
    source_type          text COLLATE "C",
    sdk_version          text COLLATE "C",
    api_key_id           text COLLATE "C"
) PARTITION BY RANGE (received_at);

-- A record's opaque id, computed, never stored: its created_at and receive time (microseconds since the epoch, 8 bytes
-- each, big-endian), its index (4 bytes) and its event's key (UTF-8), URL-safe base64 without padding
-- (RecordsTable.id and parseId are the same rule in Java).
CREATE FUNCTION consent_record_id(created timestamptz, received timestamptz, idx integer, event_key text)
    RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN translate(encode(int8send((extract(epoch FROM created) * 1000000)::bigint)
                            || int8send((extract(epoch FROM received) * 1000000)::bigint)
                            || int4send(idx) || convert_to(event_key, 'UTF8'), 'base64'), E'+/=\n', '-_');

CREATE INDEX consent_records_time_idx ON consent_records (organization_id, created_at);
CREATE INDEX consent_records_user_idx ON consent_records (organization_id, user_key, created_at);

CREATE TABLE consent_records_default PARTITION OF consent_records DEFAULT;

-- A month of records for every month of events already prepared.
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN
        SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'events'::regclass AND c.relname LIKE 'events\_p%'
    LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF consent_records %s',
                       'consent_records_p' || substr(p.name, length('events_p') + 1), p.bound);
    END LOOP;
END $$;

-- Records of the events stored before the vault: their fields as sent and what they decide; what they did to the
-- state when stored (change) was not recorded then, and stays null.
INSERT INTO consent_records (organization_id, event_key, received_at, event_index, event_id, created_at, user_key,
                             user_id, organization_user_id, action, purpose, vendor, legal_basis, value, decision,
                             regulation, notice_id, country, region, source_type, sdk_version)
SELECT e.organization_id, e.event_key, e.received_at, (item.n - 1)::integer,
       e.id, e.event_time, e.user_key, e.user_id,
       CASE WHEN e.user_type = 'didomi' THEN NULL ELSE e.user_id END,
       CASE WHEN jsonb_typeof(item.v->'action') = 'string' THEN item.v->>'action' END,
       CASE WHEN jsonb_typeof(item.v->'purpose') = 'string' THEN item.v->>'purpose' END,
       CASE WHEN jsonb_typeof(item.v->'vendor') = 'string' THEN item.v->>'vendor' END,
       CASE WHEN jsonb_typeof(item.v->'legal_basis') = 'string' THEN item.v->>'legal_basis' END,
       CASE WHEN jsonb_typeof(item.v->'value') = 'boolean' THEN (item.v->>'value')::boolean END,
       CASE
           WHEN jsonb_typeof(item.v->'value') = 'boolean' THEN (item.v->>'value')::boolean
           WHEN item.v->>'action' IN ('consent.given', 'preferences.click.agreetoall') THEN true
           WHEN item.v->>'action' IN ('consent.refused', 'preferences.click.disagreetoall') THEN false
       END,
       e.regulation, e.notice_id, e.country, e.region, e.source_type, e.sdk_version
FROM events e
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.items) = 'array' THEN e.items ELSE '[]' END)
    WITH ORDINALITY AS item(v, n);

-- The key that signs the vault's cursors, shared by every replica (a cursor works on any of them) and never sent.
CREATE TABLE vault_cursor_keys (
    id     integer PRIMARY KEY,
    secret text    NOT NULL
);
INSERT INTO vault_cursor_keys VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
