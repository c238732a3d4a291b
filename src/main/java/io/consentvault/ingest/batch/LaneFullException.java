package io.consentvault.ingest.batch;

/** The event's lane holds as many events as it may; the event was not queued. */
public class LaneFullException extends RuntimeException {

    public LaneFullException() {
        super("ingest queue full", null, false, false);
    }
}
