-- The daily export. Each event keeps its user's version once it was merged (events.version of the export layout:
-- "number of modifications made to the user"), written with the event; null for events stored before.
ALTER TABLE events ADD COLUMN user_version integer;

-- An export reads one organization's events of one day. Rows arrive in receive-time order, so a block range index
-- finds a day's pages for next to nothing at ingest (a B-tree on (organization_id, received_at) would be a third
-- index written for every event, for one read a day).
CREATE INDEX events_received_brin ON events USING brin (received_at);

-- One export of one organization's UTC day. At most one run of a date is queued or running at a time; the schedule
-- adds each date of each organization once. The replica that runs a run holds a session advisory lock on it
-- (ExportRuns.lockKey): a run marked running whose lock nobody holds belongs to a replica that died, and another takes
-- it over and runs it again.
CREATE TABLE export_runs (
    id              text        PRIMARY KEY,
    organization_id text        NOT NULL,
    date            date        NOT NULL,
    trigger         text        NOT NULL CHECK (trigger IN ('scheduled', 'on_demand')),
    status          text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz,
    cutoff_at       timestamptz,
    users_written   bigint      NOT NULL DEFAULT 0,
    events_written  bigint      NOT NULL DEFAULT 0,
    bytes_written   bigint      NOT NULL DEFAULT 0,
    rows_expected   bigint,
    manifest        text,
    error_title     text,
    error_detail    text,
    attempts        integer     NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX export_runs_active_idx ON export_runs (organization_id, date)
    WHERE status IN ('queued', 'running');
CREATE UNIQUE INDEX export_runs_scheduled_idx ON export_runs (organization_id, date) WHERE trigger = 'scheduled';
CREATE INDEX export_runs_list_idx ON export_runs (organization_id, created_at DESC, id DESC);
CREATE INDEX export_runs_pending_idx ON export_runs (created_at) WHERE status IN ('queued', 'running');
