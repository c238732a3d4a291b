-- Every consent event, kept as proof. Range-partitioned by the server's receive time (client clocks lie);
-- the service creates the monthly partitions ahead of time and the default partition catches the rest.
CREATE TABLE events (
    organization_id text        NOT NULL,
    -- bounded index keys: the identifier itself when short, else a digest of it (see BoundedKey)
    event_key       text        NOT NULL,
    received_at     timestamptz NOT NULL,
    id              text        NOT NULL,
    user_key        text,
    user_id         text,
    user_type       text,
    -- the client's own times; event_time is created_at when given, else received_at (the state merge uses it)
    created_at      timestamptz,
    updated_at      timestamptz,
    event_time      timestamptz NOT NULL,
    country         text,
    region          text,
    regulation      text,
    notice_id       text,
    consent_string  text,
    source_type     text,
    sdk_version     text,
    source_url      text,
    -- the per-purpose / per-vendor decisions (events[] of the payload)
    items           jsonb       NOT NULL,
    -- proof fields
    client_ip       text,
    user_agent      text,
    idempotency_key text,
    -- the request body exactly as received
    payload         text        NOT NULL,
    PRIMARY KEY (organization_id, event_key, received_at)
) PARTITION BY RANGE (received_at);

-- history of one user, newest first
CREATE INDEX events_user_history_idx ON events (organization_id, user_key, received_at DESC, event_key DESC);

CREATE TABLE events_default PARTITION OF events DEFAULT;

-- Idempotency: the first event stored under a client id or an Idempotency-Key. Not partitioned, so the key is unique
-- across all receive times.
CREATE TABLE event_keys (
    organization_id text        NOT NULL,
    dedup_key       text        NOT NULL,
    event_id        text        NOT NULL,
    received_at     timestamptz NOT NULL,
    PRIMARY KEY (organization_id, dedup_key)
);
CREATE INDEX event_keys_received_idx ON event_keys (received_at);
