package io.consentvault.ingest.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.consentvault.core.event.ConsentEvent;
import io.consentvault.platform.db.DatabaseFailures;
import io.consentvault.state.StateUpdates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;

/**
 * Writes one batch of a lane with {@link EventWriter} and answers its events: how to write, where {@link Lanes}
 * decides when. A batch that fails for a transient reason (the database is away, a deadlock, a commit left
 * unanswered) is written again with backoff until the batch's deadline; a batch that fails for any other reason is
 * split so that only the event at fault fails. Each event's future completes once: with its result after the users'
 * new states reach this replica ({@link StateUpdates#committed}), or with the failure that stopped it, as
 * {@link CommitOutcomeUnknownException} if any attempt's commit went unanswered (never as "nothing was stored").
 * <p>
 * Owned by {@link Lanes}, which calls {@link #commit} with at most one batch per lane at a time, from the thread that
 * starts the flush (a Vert.x event loop, or the draining thread at shutdown). It never blocks: retries wait on Vert.x
 * timers.
 */
final class Committer {

    private static final Logger LOG = Logger.getLogger(Committer.class);

    private final EventWriter writer;
    private final StateUpdates states;
    private final Vertx vertx;
    private final Timer commitLatency;
    private final Counter retries;

    Committer(EventWriter writer, StateUpdates states, Vertx vertx, MeterRegistry registry) {
        this.writer = writer;
        this.states = states;
        this.vertx = vertx;
        this.commitLatency = Timer.builder("consent.ingest.commit").description("time to commit one batch")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.retries = Counter.builder("consent.ingest.batch.retries").description("batch writes retried")
                .register(registry);
    }

    /**
     * Writes lane {@code lane}'s batch, retrying until {@code deadline} (nanoTime), and completes every event's future;
     * the returned future completes once they all are.
     */
    Future<Void> commit(int lane, List<Pending> batch, long deadline) {
        long start = System.nanoTime();
        return writeWithRetry(lane, batch, deadline, 50, false, false)
                .onComplete(done -> commitLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    /**
     * {@code again}: an earlier attempt failed in a way that may have committed part of it (the write skips what is
     * stored); {@code unknown}: an earlier attempt's commit was sent and never answered, so the batch may be stored.
     */
    private Future<Void> writeWithRetry(int lane, List<Pending> batch, long deadline, long backoffMs, boolean again,
            boolean unknown) {
        List<ConsentEvent> events = new ArrayList<>(batch.size());
        batch.forEach(p -> events.add(p.event()));
        return writer.write(events, again, lane).transform(ar -> {
            if (ar.succeeded()) {
                states.committed(ar.result().states(), ar.result().created());
                List<IngestResult> results = ar.result().results();
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(results.get(i));
                }
                return Future.succeededFuture();
            }
            Throwable failure = ar.cause();
            boolean maybeStored = unknown || failure instanceof CommitOutcomeUnknownException;
            boolean transientFailure = failure instanceof CommitOutcomeUnknownException
                    || DatabaseFailures.transientFailure(failure);
            boolean inTime = deadline - (System.nanoTime() + backoffMs * 1_000_000) > 0;
            if (transientFailure && inTime) {
                retries.increment();
                LOG.warnf("lane %d: batch of %d not written (%s), retrying in %d ms", lane, batch.size(),
                        describe(failure), backoffMs);
                Promise<Void> later = Promise.promise();
                vertx.setTimer(backoffMs, id -> writeWithRetry(lane, batch, deadline, Math.min(backoffMs * 2, 2000),
                        true, maybeStored).onComplete(later));
                return later.future();
            }
            if (!transientFailure && batch.size() > 1) {
                LOG.errorf("lane %d: batch of %d refused by the database (%s), writing one by one", lane, batch.size(),
                        describe(failure));
                return one(lane, batch, 0, deadline, again, maybeStored);
            }
            LOG.errorf("lane %d: batch of %d failed: %s", lane, batch.size(), describe(failure));
            Throwable answer = maybeStored
                    ? new CommitOutcomeUnknownException(failure)
                    : transientFailure ? new DatabaseUnavailableException(failure) : failure;
            batch.forEach(p -> p.result().completeExceptionally(answer));
            return Future.succeededFuture();
        });
    }

    private Future<Void> one(int lane, List<Pending> batch, int i, long deadline, boolean again, boolean unknown) {
        if (i == batch.size()) {
            return Future.succeededFuture();
        }
        return writeWithRetry(lane, List.of(batch.get(i)), deadline, 50, again, unknown)
                .compose(v -> one(lane, batch, i + 1, deadline, again, unknown));
    }

    /**
     * What a failure was, for the log, without personal data: the database's messages can quote the values of a row
     * (a user id in a key conflict), so only its SQLSTATE and the failure's class are logged.
     */
    static String describe(Throwable failure) {
        if (failure instanceof CommitOutcomeUnknownException && failure.getCause() != null) {
            return "commit unanswered, " + describe(failure.getCause());
        }
        if (failure instanceof PgException pg) {
            return "SQLSTATE " + pg.getSqlState() + " " + pg.getSeverity();
        }
        if (failure instanceof io.vertx.core.VertxException || failure instanceof java.io.IOException) {
            return failure.getClass().getSimpleName() + ": " + failure.getMessage(); // connection trouble: no row data
        }
        return failure.getClass().getName();
    }
}
