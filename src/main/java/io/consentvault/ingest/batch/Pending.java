package io.consentvault.ingest.batch;

import java.util.concurrent.CompletableFuture;

import io.consentvault.core.event.ConsentEvent;

/**
 * A queued event and the future its caller waits on: what {@link Lanes} hands {@link Committer}. {@code deadline}
 * (nanoTime) is the instant past which the event is answered whatever happens; {@code bytes} is its estimated size,
 * which bounds lanes and batches. Made once per event by {@link Lanes#submit}; its future is completed once, by
 * {@link Lanes} (expired in the queue) or by {@link Committer}.
 */
record Pending(ConsentEvent event, CompletableFuture<IngestResult> result, long deadline, long bytes) {
}
