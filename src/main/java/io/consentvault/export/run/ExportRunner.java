package io.consentvault.export.run;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.consentvault.core.tcf.ConsentStrings;
import io.consentvault.export.ExportConfig;
import io.consentvault.export.write.Destination;
import io.consentvault.export.write.ExportWriter;
import io.consentvault.export.write.FileDestination;
import io.consentvault.export.write.S3Destination;
import io.consentvault.platform.lifecycle.ServiceStart;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Runs the export runs that want a replica, one at a time, on a thread of its own. A run is taken under its session
 * advisory lock (so one replica runs it, however many look), started again from the beginning if a replica died
 * while running it (its lock went with its session), and its progress is written as it goes.
 */
@ApplicationScoped
public class ExportRunner {

    private static final Logger LOG = Logger.getLogger(ExportRunner.class);
    private static final long WAIT_SECONDS = 60;
    private static final String SETTING = "an export destination";

    private final Pool pool;
    private final ExportRuns runs;
    private final ExportConfig config;
    private final ConsentStrings strings;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "export-runner");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();

    public ExportRunner(Pool pool, ExportRuns runs, ExportConfig config, ConsentStrings strings) {
        this.pool = pool;
        this.runs = runs;
        this.config = config;
        this.strings = strings;
    }

    /**
     * Where exports go, when they are on: {@code file:///path} or {@code s3://bucket/prefix} (with {@code s3Endpoint}
     * for an S3-compatible store). The caller closes it. A setting that is neither is an error that says so.
     */
    public static Destination destination(String uri, Optional<String> s3Endpoint) {
        URI u = parse(uri);
        if ("s3".equals(u.getScheme())) {
            return S3Destination.open(u, s3Endpoint);
        }
        return new FileDestination(directory(u));
    }

    /** Checks the destination settings without opening anything (no client, no network). */
    public static void check(String uri, Optional<String> s3Endpoint) {
        URI u = parse(uri);
        if ("s3".equals(u.getScheme())) {
            S3Destination.Location.of(u);
            s3Endpoint.ifPresent(S3Destination::endpoint);
        } else {
            directory(u);
        }
    }

    private static URI parse(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(SETTING + " is not a URI (" + e.getMessage() + "): " + uri);
        }
        if (!"file".equals(u.getScheme()) && !"s3".equals(u.getScheme())) {
            throw new IllegalArgumentException(SETTING + " is file:///path or s3://bucket/prefix: " + uri);
        }
        return u;
    }

    private static Path directory(URI u) {
        try {
            return Path.of(u).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalArgumentException(SETTING + " is file:///path (" + e.getMessage() + "): " + u);
        }
    }

    /** Settings that cannot be used stop the start, rather than failing every run after it. */
    void onStart(@Observes ServiceStart start) {
        if (config.gzipLevel() < 1 || config.gzipLevel() > 9) {
            throw new IllegalArgumentException("CONSENT_EXPORT_GZIP_LEVEL is 1 to 9: " + config.gzipLevel());
        }
        config.destination().ifPresent(d -> {
            try {
                check(d, config.s3Endpoint());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CONSENT_EXPORT_DESTINATION: " + e.getMessage(), e);
            }
        });
    }

    /** Looks for runs to do, soon, unless a look is already due. */
    public void wake() {
        if (config.destination().isPresent() && queued.compareAndSet(false, true)) {
            thread.execute(() -> {
                queued.set(false);
                sweep();
            });
        }
    }

    /** Looks for runs to do now, on the runner's thread, and returns once that look (and the runs it took) ended. */
    public void sweepNow() throws Exception {
        thread.submit(this::sweep).get();
    }

    @Scheduled(every = "{consent.export.poll}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    private void sweep() {
        try {
            for (String id : await(runs.pending())) {
                take(id);
            }
        } catch (Exception e) {
            LOG.warnf("export runs could not be looked for: %s", e.toString());
        }
    }

    /** Runs the run if this replica gets its lock and it is still pending. */
    private void take(String id) throws Exception {
        SqlConnection lock = await(pool.getConnection());
        try {
            if (!await(ExportRuns.tryLock(lock, id))) {
                return; // another replica runs it
            }
            try {
                Instant cutoff = Instant.now().truncatedTo(ChronoUnit.MICROS);
                RowIterator<Row> started = await(lock.preparedQuery(ExportRuns.START)
                        .execute(Tuple.of(id, cutoff.atOffset(ZoneOffset.UTC)))).iterator();
                if (started.hasNext()) {
                    Row r = started.next();
                    run(lock, id, r.getString(0), r.getLocalDate(1), cutoff);
                }
            } finally {
                await(ExportRuns.unlock(lock, id));
            }
        } finally {
            lock.close();
        }
    }

    private void run(SqlConnection lock, String id, String org, LocalDate date, Instant cutoff) {
        LOG.infof("export %s of %s for %s: started", id, org, date);
        try {
            ExportWriter.Result result;
            try (Destination destination = destination(config.destination().orElseThrow(), config.s3Endpoint())) {
                result = new ExportWriter(destination, strings, config.partMaxBytes(), config.fetchRows(),
                        config.gzipLevel()).write(pool, org, date, cutoff, id,
                                expected -> await(
                                        lock.preparedQuery(ExportRuns.EXPECTED).execute(Tuple.of(id, expected))),
                                (users, events, bytes) -> await(lock.preparedQuery(ExportRuns.PROGRESS)
                                        .execute(Tuple.of(id, users, events, bytes))));
            }
            await(lock.preparedQuery(ExportRuns.SUCCEEDED).execute(Tuple.of(id, now(), result.users(),
                    result.events(), result.bytes(), result.manifestPath())));
            LOG.infof("export %s of %s for %s: %d users, %d events, %d bytes", id, org, date, result.users(),
                    result.events(), result.bytes());
        } catch (Exception e) {
            LOG.errorf(e, "export %s of %s for %s failed", id, org, date);
            try {
                await(lock.preparedQuery(ExportRuns.FAILED).execute(Tuple.of(id, now(), "Export failed",
                        String.valueOf(e.getMessage()))));
            } catch (Exception again) {
                LOG.warnf("export %s: its failure could not be recorded (%s); another replica will run it", id,
                        again.toString());
            }
        }
    }

    private static java.time.OffsetDateTime now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause.getMessage(), cause);
        }
    }
}
