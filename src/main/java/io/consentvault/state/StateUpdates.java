package io.consentvault.state;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.UserKey;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * What another feature's transaction may do to users' latest state: the ingest transaction merges its events into it,
 * an erasure removes it. Statements run on the caller's connection, inside its transaction; what this replica holds is
 * changed only once the caller says the transaction committed. Non-blocking.
 */
public interface StateUpdates {

    /** The states this replica holds for these users (a null value: known to have none); users not held are absent. */
    Map<UserKey, ConsentState> held(Collection<UserKey> users);

    /** The stored states of these users, read in the transaction; users without one are absent. */
    Future<Map<UserKey, ConsentState>> load(SqlConnection conn, Collection<UserKey> users);

    /** The first revision of the rows the transaction may create. */
    Future<Long> firstRevision(SqlConnection conn);

    /**
     * Writes a merge made onto the states it names, and announces the changes; fails with SQLSTATE 40001 when one of
     * those states was not the stored one any more (the transaction is then to be rolled back).
     */
    Future<Map<UserKey, ConsentState>> writeGuarded(SqlConnection conn, BatchMerge.Merged merged);

    /** Merges the stored events under row locks, writes and announces the states that changed. */
    Future<BatchMerge.Merged> applyLocked(SqlConnection conn, List<ConsentEvent> stored);

    /**
     * The transaction that wrote these states committed: this replica serves them from now on, the users' first states
     * ({@code created}) once they are read.
     */
    void committed(Map<UserKey, ConsentState> states, Set<UserKey> created);

    /** Deletes the user's state; true when there was one. */
    Future<Boolean> delete(SqlConnection conn, UserKey user);

    /** Tells every replica, when the transaction commits, that the user is erased. */
    Future<Void> announceErasure(SqlConnection conn, UserKey user);

    /** The erasure committed: this replica forgets the user. */
    void erased(UserKey user);
}
