-- Raised by the guarded state upsert when a user's state is no longer the one the writer merged onto (another
-- replica wrote it, or it was erased): the whole batch rolls back and is written again under row locks.
CREATE FUNCTION consent_state_changed() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'consent state changed concurrently' USING ERRCODE = 'serialization_failure';
END $$;

-- Planner statistics on the large document columns cost more than they help: no query filters on their whole value,
-- and ANALYZE sorting thousands of jsonb documents was a large share of the database's time under steady ingest.
ALTER TABLE events ALTER COLUMN items SET STATISTICS 0;
ALTER TABLE events ALTER COLUMN payload SET STATISTICS 0;
ALTER TABLE events ALTER COLUMN consent_string SET STATISTICS 0;
ALTER TABLE events ALTER COLUMN user_agent SET STATISTICS 0;
ALTER TABLE consent_state ALTER COLUMN decisions SET STATISTICS 0;
