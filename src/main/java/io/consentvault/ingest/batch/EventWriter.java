package io.consentvault.ingest.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.UserKey;
import io.consentvault.core.store.ConsentCountsTable;
import io.consentvault.state.StateUpdates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

/**
 * The transaction of one batch: its idempotency keys claimed ({@link Idempotency}), its events folded into the users'
 * state ({@link StateUpdates}) and stored with what each item changed, which makes them the vault's records
 * ({@link EventInserts}) and counted for analytics as the lane's writer ({@link ConsentCountsTable}), committed
 * together. Safe to run
 * again after an ambiguous commit: rows are keyed by their server-assigned id and receive time, and a key claimed by
 * this very event counts as its own.
 * <p>
 * Called by a lane flusher, at most one batch per lane at a time; completes on a Vert.x event loop.
 */
@ApplicationScoped
public class EventWriter {

    private final Pool pool;
    private final StateUpdates states;
    private final Counter stale;

    public EventWriter(Pool pool, StateUpdates states, MeterRegistry registry) {
        this.pool = pool;
        this.states = states;
        this.stale = Counter.builder("consent.state.stale.merges")
                .description("batches written again under row locks: a state changed under their merge")
                .register(registry);
    }

    /**
     * What a committed batch answers: one result per event in the order given, the users' new states, and which of
     * them are the users' first.
     */
    public record Written(List<IngestResult> results, Map<UserKey, ConsentState> states, Set<UserKey> created) {
    }

    /**
     * Stores the batch and folds it into the users' state, in one transaction. Usually two round trips: the claim of
     * the idempotency keys (with the states this replica does not hold and, if some user may get a new row, its first
     * revision, read alongside), then the events with what their items changed, the guarded state upsert, the
     * announcement and the commit, pipelined. When a state turns out to
     * have changed under the merge, the batch is written again, on the same connection, with the users' rows locked
     * first.
     * <p>
     * Transactions are driven with plain BEGIN / COMMIT / ROLLBACK so that the commit can be pipelined behind the last
     * statement; every statement's own result decides, since a COMMIT after a failed statement answers ROLLBACK.
     */
    public Future<Written> write(List<ConsentEvent> batch, boolean again, int lane) {
        int writer = ConsentCountsTable.writer(lane);
        Idempotency b = new Idempotency(batch);
        var users = BatchMerge.byUser(b.rows).keySet();
        Map<UserKey, ConsentState> bases = states.held(users);
        List<UserKey> unknown = new ArrayList<>();
        for (UserKey key : users) {
            if (!bases.containsKey(key)) {
                unknown.add(key);
            }
        }
        return pool.getConnection()
                .compose(conn -> optimistic(conn, b, again, writer, bases, unknown).recover(failure -> {
                    if (failure instanceof PgException pg && "40001".equals(pg.getSqlState())) {
                        stale.increment();
                        return locked(conn, b, again, writer);
                    }
                    return Future.failedFuture(failure);
                }).eventually(() -> conn.close()));
    }

    private Future<Written> optimistic(SqlConnection conn, Idempotency b, boolean again, int writer,
            Map<UserKey, ConsentState> bases, List<UserKey> unknown) {
        Future<?> begin = conn.query("BEGIN").execute();
        Future<RowSet<Row>> claimed = EventInserts.claim(conn, b.sorted);
        Future<Map<UserKey, ConsentState>> loaded = unknown.isEmpty()
                ? Future.succeededFuture(Map.of())
                : states.load(conn, unknown);
        // a user not held, or held as unknown, may get a new row, which needs its first revision
        Future<Long> firstRevision = unknown.isEmpty() && !bases.containsValue(null)
                ? Future.succeededFuture(0L)
                : states.firstRevision(conn);
        return endOnFailure(conn, Future.all(begin, claimed, loaded, firstRevision)
                .compose(done -> b.stored(conn, claimed.result()))).compose(stored -> {
                    bases.putAll(loaded.result());
                    for (UserKey key : unknown) {
                        bases.putIfAbsent(key, null); // not stored yet: a new row
                    }
                    BatchMerge.Merged merged = BatchMerge.merge(stored.events(), bases, firstRevision.result());
                    Future<?> events = EventInserts.insert(conn, stored.events(), merged.effects(), again,
                            writer);
                    Future<Map<UserKey, ConsentState>> state = states.writeGuarded(conn, merged);
                    Future<?> commit = conn.query("COMMIT").execute();
                    return Future.all(events, state, commit)
                            .transform(ar -> ar.succeeded()
                                    ? Future.succeededFuture(
                                            new Written(b.answer(stored.earlier()), state.result(), merged.created()))
                                    : Future.failedFuture(afterCommitSent(events.failed()
                                            ? events.cause()
                                            : state.failed() ? state.cause() : ar.cause())));
                });
    }

    private Future<Written> locked(SqlConnection conn, Idempotency b, boolean again, int writer) {
        Future<?> begin = conn.query("BEGIN").execute();
        Future<RowSet<Row>> claimed = EventInserts.claim(conn, b.sorted);
        return endOnFailure(conn, Future.all(begin, claimed)
                .compose(done -> b.stored(conn, claimed.result()))
                .compose(stored -> states.applyLocked(conn, stored.events())
                        .compose(merged -> EventInserts.insert(conn, stored.events(), merged.effects(), again, writer)
                                .map(done -> new Written(b.answer(stored.earlier()), merged.changed(),
                                        merged.created())))))
                .compose(written -> conn.query("COMMIT").execute().map(written)
                        .recover(failure -> Future.failedFuture(afterCommitSent(failure))));
    }

    /**
     * A failure once COMMIT was sent: an answer from the database (an error, SQLSTATE 40001 from the guard) means
     * nothing was committed; a lost connection means the commit may have landed.
     */
    private static Throwable afterCommitSent(Throwable failure) {
        return failure instanceof PgException ? failure : new CommitOutcomeUnknownException(failure);
    }

    /** A failure before the commit was sent leaves the transaction open: it is rolled back before anything else. */
    private static <T> Future<T> endOnFailure(SqlConnection conn, Future<T> work) {
        return work.recover(failure -> conn.query("ROLLBACK").execute().transform(x -> Future.failedFuture(failure)));
    }
}
