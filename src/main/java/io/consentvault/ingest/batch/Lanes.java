package io.consentvault.ingest.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.consentvault.core.event.ConsentEvent;
import io.consentvault.ingest.IngestConfig;
import io.consentvault.platform.db.DatabaseFailures;
import io.consentvault.state.cache.StateCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;

/**
 * Group commit. Events are spread over a fixed set of lanes by (organization, user), so one user's events keep their
 * arrival order; each lane is a bounded queue with at most one batch in flight. A lane flushes when it holds a full
 * batch or when its oldest event has waited {@code max-wait}; while a batch commits, the next one gathers. Each
 * caller's future completes only once its batch has committed (or failed for good).
 * <p>
 * {@link #submit} is called from event loops and never blocks: a full lane fails fast with
 * {@link LaneFullException}. Flushes run on Vert.x event loops. A batch that fails for a transient reason (the
 * database is away, a deadlock) is retried with backoff for {@code retry-for}; a batch that fails for any other
 * reason is split so that only the event at fault fails.
 */
@ApplicationScoped
public class Lanes {

    private static final Logger LOG = Logger.getLogger(Lanes.class);

    private final Lane[] lanes;
    private final EventWriter writer;
    private final StateCache cache;
    private final Vertx vertx;
    private final IngestConfig config;
    private final DistributionSummary batchSizes;
    private final Timer commitLatency;
    private final Counter retries;
    private volatile boolean draining;

    public Lanes(EventWriter writer, StateCache cache, Vertx vertx, IngestConfig config, MeterRegistry registry) {
        this.writer = writer;
        this.cache = cache;
        this.vertx = vertx;
        this.config = config;
        this.lanes = new Lane[config.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(i);
            Lane lane = lanes[i];
            Gauge.builder("consent.ingest.lane.depth", lane, Lane::depth).tag("lane", Integer.toString(i))
                    .description("events waiting in the lane").register(registry);
        }
        this.batchSizes = DistributionSummary.builder("consent.ingest.batch.size")
                .description("events per committed batch").publishPercentiles(0.5, 0.99).register(registry);
        this.commitLatency = Timer.builder("consent.ingest.commit").description("time to commit one batch")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.retries = Counter.builder("consent.ingest.batch.retries").description("batch writes retried")
                .register(registry);
    }

    /**
     * Queues the events (all of one lane's key or not: each goes to its own lane) and completes, per event, when it is
     * committed. Fails at once with {@link LaneFullException} for an event whose lane is full; that event is not
     * queued.
     */
    public CompletionStage<IngestResult> submit(ConsentEvent event) {
        Pending pending = new Pending(event, new CompletableFuture<>(), System.nanoTime() + config.retryFor().toNanos(),
                event.estimatedBytes());
        Lane lane = lanes[laneOf(event)];
        if (draining || !lane.offer(pending)) {
            return CompletableFuture.failedFuture(new LaneFullException());
        }
        return pending.result;
    }

    /** Events waiting in every lane, committed or not yet. */
    public int depth() {
        int total = 0;
        for (Lane lane : lanes) {
            total += lane.depth();
        }
        return total;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Stops taking events and waits (blocking; never on an event loop) until every queued event is answered. */
    public boolean drain(Duration timeout) {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Lane lane : lanes) {
            lane.kick();
        }
        while (System.nanoTime() < deadline) {
            boolean idle = true;
            for (Lane lane : lanes) {
                idle &= lane.idle();
            }
            if (idle) {
                return true;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @PreDestroy
    void close() {
        drain(config.retryFor().plusSeconds(5));
    }

    private int laneOf(ConsentEvent event) {
        int h = 31 * event.organizationId().hashCode() + (event.userKey() == null ? 0 : event.userKey().hashCode());
        h ^= h >>> 16;
        return Math.floorMod(h, lanes.length);
    }

    /** A queued event, the instant (nanoTime) past which it is answered whatever happens, and its estimated bytes. */
    private record Pending(ConsentEvent event, CompletableFuture<IngestResult> result, long deadline, long bytes) {
    }

    /** One queue and its flusher. The monitor guards the queue and the flags, never I/O. */
    private final class Lane {
        private final int index;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private long bytes;
        private boolean flushing;
        private long timer = -1;

        Lane(int index) {
            this.index = index;
        }

        synchronized int depth() {
            return queue.size();
        }

        synchronized boolean idle() {
            return queue.isEmpty() && !flushing;
        }

        boolean offer(Pending pending) {
            boolean flushNow = false;
            synchronized (this) {
                if (queue.size() >= config.laneCapacity()
                        || (!queue.isEmpty() && bytes + pending.bytes() > config.laneMaxBytes().asLongValue())) {
                    return false;
                }
                queue.add(pending);
                bytes += pending.bytes();
                if (flushing) {
                    return true;
                }
                long waitMs = config.maxWait().toMillis();
                if (queue.size() >= config.batchSize() || waitMs <= 0) {
                    flushNow = startFlush();
                } else if (timer < 0) {
                    timer = vertx.setTimer(waitMs, id -> onTimer());
                }
            }
            if (flushNow) {
                flush();
            }
            return true;
        }

        void kick() {
            boolean flushNow;
            synchronized (this) {
                flushNow = !flushing && !queue.isEmpty() && startFlush();
            }
            if (flushNow) {
                flush();
            }
        }

        private void onTimer() {
            boolean flushNow;
            synchronized (this) {
                timer = -1;
                flushNow = !flushing && !queue.isEmpty() && startFlush();
            }
            if (flushNow) {
                flush();
            }
        }

        /** Caller holds the monitor. */
        private boolean startFlush() {
            flushing = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            return true;
        }

        /**
         * Takes the next batch: at most {@code batch-size} events and {@code flush-max-bytes} (at least one event).
         * Events whose deadline passed while they waited are answered 503 (nothing of them was written).
         */
        private void flush() {
            List<Pending> batch = new ArrayList<>(Math.min(config.batchSize(), 64));
            List<Pending> expired = new ArrayList<>(0);
            long now = System.nanoTime();
            synchronized (this) {
                long taken = 0;
                while (!queue.isEmpty() && batch.size() < config.batchSize()) {
                    Pending next = queue.peek();
                    if (!batch.isEmpty() && taken + next.bytes() > config.flushMaxBytes().asLongValue()) {
                        break;
                    }
                    queue.poll();
                    bytes -= next.bytes();
                    if (now - next.deadline() > 0) {
                        expired.add(next);
                    } else {
                        batch.add(next);
                        taken += next.bytes();
                    }
                }
            }
            expired.forEach(p -> p.result().completeExceptionally(new DatabaseUnavailableException(
                    new java.util.concurrent.TimeoutException("waited past its deadline in the lane"))));
            if (batch.isEmpty()) {
                afterFlush();
                return;
            }
            batchSizes.record(batch.size());
            long start = System.nanoTime();
            // the batch is answered by the deadline of its oldest event (each event waits retry-for at most)
            writeWithRetry(batch, batch.get(0).deadline(), 50, false, false).onComplete(done -> {
                commitLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                afterFlush();
            });
        }

        private void afterFlush() {
            boolean again;
            synchronized (this) {
                again = !queue.isEmpty();
                flushing = again;
            }
            if (again) {
                // These events gathered while the previous batch committed: they have waited long enough.
                flush();
            }
        }

        /**
         * {@code again}: an earlier attempt failed in a way that may have committed part of it (the write skips what is
         * stored); {@code unknown}: an earlier attempt's commit was sent and never answered, so the batch may be stored.
         */
        private Future<Void> writeWithRetry(List<Pending> batch, long deadline, long backoffMs, boolean again,
                boolean unknown) {
            List<ConsentEvent> events = new ArrayList<>(batch.size());
            batch.forEach(p -> events.add(p.event()));
            return writer.write(events, again).transform(ar -> {
                if (ar.succeeded()) {
                    cache.committed(ar.result().states());
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
                    LOG.warnf("lane %d: batch of %d not written (%s), retrying in %d ms", index, batch.size(),
                            describe(failure), backoffMs);
                    io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
                    vertx.setTimer(backoffMs, id -> writeWithRetry(batch, deadline, Math.min(backoffMs * 2, 2000), true,
                            maybeStored).onComplete(later));
                    return later.future();
                }
                if (!transientFailure && batch.size() > 1) {
                    LOG.errorf("lane %d: batch of %d refused by the database (%s), writing one by one", index,
                            batch.size(), describe(failure));
                    return one(batch, 0, deadline, again, maybeStored);
                }
                LOG.errorf("lane %d: batch of %d failed: %s", index, batch.size(), describe(failure));
                Throwable answer = maybeStored
                        ? new CommitOutcomeUnknownException(failure)
                        : transientFailure ? new DatabaseUnavailableException(failure) : failure;
                batch.forEach(p -> p.result().completeExceptionally(answer));
                return Future.succeededFuture();
            });
        }

        private Future<Void> one(List<Pending> batch, int i, long deadline, boolean again, boolean unknown) {
            if (i == batch.size()) {
                return Future.succeededFuture();
            }
            return writeWithRetry(List.of(batch.get(i)), deadline, 50, again, unknown)
                    .compose(v -> one(batch, i + 1, deadline, again, unknown));
        }
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
