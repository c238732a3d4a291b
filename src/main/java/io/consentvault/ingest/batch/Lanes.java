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

import io.consentvault.core.event.ConsentEvent;
import io.consentvault.ingest.IngestConfig;
import io.consentvault.state.StateUpdates;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * Group commit: when to flush; how a batch is written is its {@link Committer}'s. Events are spread over a fixed set
 * of lanes by (organization, user), so one user's events keep their arrival order; each lane is a bounded queue (by
 * count and bytes) with at most one batch in flight. While a batch commits, the next one gathers, and flushes when the
 * commit is done. An idle lane flushes when it holds as many events as its last batch (the company an event can
 * expect: the clients a commit answered send again together), or a full batch, or when its oldest event has waited
 * {@code max-wait}. A lone event after a batch of one goes at once. Each caller's future completes only
 * once its batch has committed (or failed for good), or at once if its event outlived its deadline in the queue.
 * <p>
 * {@link #submit} is called from event loops and never blocks: a full lane fails fast with
 * {@link LaneFullException}. Flushes run on Vert.x event loops, and on the draining thread at shutdown.
 */
@ApplicationScoped
public class Lanes {

    private final Lane[] lanes;
    private final Committer committer;
    private final Vertx vertx;
    private final IngestConfig config;
    private final DistributionSummary batchSizes;
    private volatile boolean draining;

    public Lanes(EventWriter writer, StateUpdates states, Vertx vertx, IngestConfig config, MeterRegistry registry) {
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
        this.committer = new Committer(writer, states, vertx, registry);
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
        return pending.result();
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

    /** One queue and its flusher. The monitor guards the queue and the flags, never I/O. */
    private final class Lane {
        private final int index;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private long bytes;
        private boolean flushing;
        private long timer = -1;
        /** The size of the last batch taken: an idle lane holding as many flushes without waiting for more. */
        private int expected = 1;

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
                if (queue.size() >= Math.min(expected, config.batchSize()) || waitMs <= 0) {
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
                expected = Math.max(1, batch.size());
            }
            expired.forEach(p -> p.result().completeExceptionally(new DatabaseUnavailableException(
                    new java.util.concurrent.TimeoutException("waited past its deadline in the lane"))));
            if (batch.isEmpty()) {
                afterFlush();
                return;
            }
            batchSizes.record(batch.size());
            // the batch is answered by the deadline of its oldest event (each event waits retry-for at most)
            committer.commit(index, batch, batch.get(0).deadline()).onComplete(done -> afterFlush());
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
    }
}
