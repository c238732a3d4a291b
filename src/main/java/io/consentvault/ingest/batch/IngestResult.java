package io.consentvault.ingest.batch;

import java.time.Instant;

/** What a committed event answers: its id and receive time, and whether it replays an earlier event. */
public record IngestResult(String id, Instant receivedAt, boolean replayed) {
}
