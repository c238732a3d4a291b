package io.consentvault.state;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.consentvault.core.event.UserKey;

/**
 * What another feature may read of users' state: a user's state as it was at an instant, as the latest-state route
 * answers it ({@code GET /v1/consents/users/{user_id}?at=}). The vault's console reads it under its own scope.
 * Non-blocking; the replay runs on a worker thread.
 */
public interface StateReads {

    /** The {@code user} object of the export layout, as bytes, and its ETag. */
    record UserAnswer(byte[] json, String etag) {
    }

    /** The user's state at {@code at}, replayed from its history; completes with null when it had no event by then. */
    CompletableFuture<UserAnswer> at(UserKey user, Instant at);
}
