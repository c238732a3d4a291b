-- What the export layout calls last_seen_country and metadata, kept with each event because neither can be recovered
-- later: the country of the connection that sent it (from a trusted edge proxy's header, or the client IP through a
-- country database, when the operator configured one), the payload's metadata object and its user's metadata object.
-- Null when absent: adding them rewrites no row.
ALTER TABLE events
    ADD COLUMN seen_country  text,
    ADD COLUMN metadata      text,
    ADD COLUMN user_metadata text;
