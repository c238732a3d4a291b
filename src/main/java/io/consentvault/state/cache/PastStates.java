package io.consentvault.state.cache;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.event.UserKey;
import io.consentvault.state.StateReads;
import io.consentvault.state.repository.StateRepository;

/**
 * {@link StateReads} over {@link StateRepository#stateAt} (the history replayed through the merge rules), answered in
 * the bytes and ETag a cache entry would have: the latest-state route's {@code ?at=} and the vault's state route give
 * the same answer because both come from here.
 */
@ApplicationScoped
public class PastStates implements StateReads {

    private final StateRepository states;

    public PastStates(StateRepository states) {
        this.states = states;
    }

    @Override
    public CompletableFuture<UserAnswer> at(UserKey user, Instant at) {
        return states.stateAt(user.organizationId(), user.userKey(), at).thenApply(state -> {
            if (state == null) {
                return null;
            }
            CachedUser entry = CachedUser.of(user.organizationId(), state);
            return new UserAnswer(entry.json(), entry.etag());
        });
    }
}
