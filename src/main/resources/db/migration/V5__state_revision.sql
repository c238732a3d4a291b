-- A user's state row carries a revision that every write changing the row bumps by one, including a write that only
-- moves a value's source or time (which leaves version alone). The guarded state upsert writes only where the stored
-- revision is still the one its merge started from.
--
-- A row's first revision is a fresh multiple of 2^20 drawn from consent_state_incarnation, so that a user erased and
-- written again never comes back to a revision that some replica may still hold for the erased row. The service draws
-- it for the rows its guarded upsert creates; rows created otherwise take it from the column's default. Rows stored
-- before this migration are revision 0 (a constant default: no rewrite of the table).
CREATE SEQUENCE consent_state_incarnation;

ALTER TABLE consent_state ADD COLUMN revision bigint NOT NULL DEFAULT 0;
ALTER TABLE consent_state ALTER COLUMN revision SET DEFAULT nextval('consent_state_incarnation') * 1048576;
