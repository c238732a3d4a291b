package io.consentvault.state.cache;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.UserKey;
import io.consentvault.state.StateUpdates;
import io.consentvault.state.repository.StateRepository;
import io.consentvault.state.repository.StateWriter;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * The state side of another feature's transaction ({@link StateUpdates}): merges start from what this replica's cache
 * holds, statements go through {@link StateRepository} and {@link StateWriter}, and the cache learns the outcome only
 * once the caller's transaction committed.
 */
@ApplicationScoped
public class StateLedger implements StateUpdates {

    private final StateCache cache;
    private final StateWriter writer;

    public StateLedger(StateCache cache, StateWriter writer) {
        this.cache = cache;
        this.writer = writer;
    }

    @Override
    public Map<UserKey, ConsentState> held(Collection<UserKey> users) {
        Map<UserKey, ConsentState> held = new HashMap<>();
        for (UserKey key : users) {
            CachedUser entry = cache.peek(key);
            if (entry != null) {
                held.put(key, entry.state());
            }
        }
        return held;
    }

    @Override
    public Future<Map<UserKey, ConsentState>> load(SqlConnection conn, Collection<UserKey> users) {
        return StateRepository.load(conn, users);
    }

    @Override
    public Future<Long> firstRevision(SqlConnection conn) {
        return StateWriter.firstRevision(conn);
    }

    @Override
    public Future<Map<UserKey, ConsentState>> writeGuarded(SqlConnection conn, BatchMerge.Merged merged) {
        return writer.writeGuarded(conn, merged);
    }

    @Override
    public Future<BatchMerge.Merged> applyLocked(SqlConnection conn, List<ConsentEvent> stored) {
        return writer.apply(conn, stored);
    }

    @Override
    public void committed(Map<UserKey, ConsentState> states, Set<UserKey> created) {
        cache.committed(states, created);
    }

    @Override
    public Future<Boolean> delete(SqlConnection conn, UserKey user) {
        return writer.delete(conn, user);
    }

    @Override
    public Future<Void> announceErasure(SqlConnection conn, UserKey user) {
        return writer.announceErasure(conn, user);
    }

    @Override
    public void erased(UserKey user) {
        cache.erased(user);
    }
}
