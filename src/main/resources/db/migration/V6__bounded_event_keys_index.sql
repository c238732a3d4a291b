-- A client's event id is stored whole, so it cannot be indexed as it is: an id of a few thousand characters passed the
-- schema and then broke this index (SQLSTATE 54000). Its first 128 characters are a bounded key that still finds the
-- rows of an erased event; the full id is compared on those rows.
DROP INDEX event_keys_event_idx;
CREATE INDEX event_keys_event_idx ON event_keys (organization_id, left(event_id, 128));
