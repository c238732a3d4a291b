-- The latest consent of every user, written in the same transaction as the events that change it. Hash-partitioned
-- so that vacuum and index maintenance stay small per partition; the decisions column is ConsentMerge's stored form
-- (see StateCodec), each value with the event that set it, so any order of delivery converges.
CREATE TABLE consent_state (
    organization_id text        NOT NULL,
    user_key        text        NOT NULL,
    user_id         text        NOT NULL,
    user_type       text,
    decisions       jsonb       NOT NULL DEFAULT '{}',
    created_at      timestamptz,
    updated_at      timestamptz,
    version         integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (organization_id, user_key)
) PARTITION BY HASH (organization_id, user_key);

DO $$
BEGIN
    FOR i IN 0..15 LOOP
        EXECUTE format('CREATE TABLE consent_state_p%s PARTITION OF consent_state'
                       ' FOR VALUES WITH (MODULUS 16, REMAINDER %s)', i, i);
    END LOOP;
END $$;
