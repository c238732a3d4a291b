-- Organizations and their API keys (small, rarely written: Panache entities). A key is stored only as the SHA-256 of
-- its secret part; keys are random and high-entropy, so no slow hash is needed.
CREATE TABLE organizations (
    id              text        PRIMARY KEY,
    name            text        NOT NULL,
    -- web origins allowed to call with this organization's keys (CORS), space separated; empty: any
    allowed_origins text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL REFERENCES organizations (id),
    name            text        NOT NULL,
    secret_hash     text        NOT NULL,
    -- space separated
    scopes          text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz
);
CREATE INDEX api_keys_organization_idx ON api_keys (organization_id);

-- That an erasure happened, and nothing about whom.
CREATE TABLE erasures (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL,
    erased_at       timestamptz NOT NULL,
    events_removed  bigint      NOT NULL
);
CREATE INDEX erasures_organization_idx ON erasures (organization_id, erased_at);

-- erasure removes the idempotency keys of the events it removes
CREATE INDEX event_keys_event_idx ON event_keys (organization_id, event_id);
