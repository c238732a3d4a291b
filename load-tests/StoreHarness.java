import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.BatchMerge;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.event.UserKey;
import io.consentvault.core.store.ConsentCountsTable;
import io.consentvault.ingest.batch.EventInserts;
import io.consentvault.ingest.model.EventNormalizer;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.platform.notify.PgNotifications;
import io.consentvault.state.repository.StateChanges;
import io.consentvault.state.repository.StateWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;

/**
 * PostgreSQL with no service in front: the rows a single event makes (the event with its vault changes, the user's
 * state with the revision guard, the announcement) written by the service's own statements and array builders,
 * through the same client, in batches of BATCH on LANES connections, as fast as the database takes them: WARMUP
 * seconds, then SECONDS measured. The events are those of wrk/post.lua (three items, users drawn from POPULATION),
 * normalised and merged by the service's code; users' states are held in memory as the service's cache holds them.
 * It prints events/s and the CPU per event of this process and of PostgreSQL (the postmaster PG_PID and its
 * children, from /proc) over the measured seconds: the database's share of the ingest path, with no HTTP in front.
 *
 * <pre>
 * java -cp "target/quarkus-app/app/*:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*" load-tests/StoreHarness.java \
 *     PORT PASSWORD PG_PID WARMUP SECONDS BATCH LANES POPULATION
 * </pre>
 */
public class StoreHarness {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String password = args[1];
        long postmaster = Long.parseLong(args[2]);
        long warmup = Long.parseLong(args[3]);
        long seconds = Long.parseLong(args[4]);
        int batch = Integer.parseInt(args[5]);
        int lanes = Integer.parseInt(args[6]);
        int population = Integer.parseInt(args[7]);
        Vertx vertx = Vertx.vertx();
        PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(port)
                .setDatabase("consent_vault").setUser("consent").setPassword(password).setPipeliningLimit(256)
                .setCachePreparedStatements(true).addProperty("jit", "off"); // as the service connects
        var pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(lanes)).connectingTo(connect).using(vertx)
                .build();
        StateWriter writer = new StateWriter(new StateChanges(
                new PgNotifications(vertx, "postgresql://127.0.0.1:" + port + "/consent_vault", "consent", password),
                new SimpleMeterRegistry()));
        Map<UserKey, ConsentState> held = new ConcurrentHashMap<>(); // lanes run on their own event loops
        AtomicLong events = new AtomicLong();
        AtomicLong counter = new AtomicLong();
        long end = System.nanoTime() + (warmup + seconds) * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            int rollupWriter = ConsentCountsTable.writer(lane);
            vertx.runOnContext(v -> pool.getConnection().onSuccess(conn -> loop(conn, rollupWriter, writer, held, batch,
                    population, counter, events, end, done)).onFailure(f -> {
                        f.printStackTrace();
                        done.countDown();
                    }));
        }
        Thread.sleep(warmup * 1000); // the measured window starts here; the lanes run on
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long events0 = events.get(), own0 = os.getProcessCpuTime(), pg0 = pgTicks(postmaster), t0 = System.nanoTime();
        done.await();
        long n = events.get() - events0;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double ownUs = (os.getProcessCpuTime() - own0) / 1e3 / n;
        double pgUs = (pgTicks(postmaster) - pg0) * 1e6 / 100.0 / n; // USER_HZ is 100 on Linux
        System.out.printf("RESULT events=%d seconds=%.1f eps=%.0f harness_us=%.0f pg_us=%.0f%n", n, elapsed,
                n / elapsed, ownUs, pgUs);
        System.exit(0); // the pool's and the listener's threads would keep the JVM up
    }

    /** One lane: batch after batch on its connection, each its own transaction, until the end. */
    private static void loop(SqlConnection conn, int rollupWriter, StateWriter writer, Map<UserKey, ConsentState> held, int batch,
            int population, AtomicLong counter, AtomicLong events, long end, CountDownLatch done) {
        if (System.nanoTime() > end) {
            conn.close();
            done.countDown();
            return;
        }
        List<ConsentEvent> rows = new ArrayList<>(batch);
        Instant now = Instant.now();
        for (int i = 0; i < batch; i++) {
            rows.add(event(counter.incrementAndGet() % population, now));
        }
        Map<UserKey, ConsentState> bases = new HashMap<>();
        boolean unknown = false;
        for (UserKey key : BatchMerge.byUser(rows).keySet()) {
            ConsentState state = held.get(key);
            unknown |= state == null;
            bases.put(key, state);
        }
        Future<?> begin = conn.query("BEGIN").execute();
        Future<Long> first = unknown ? StateWriter.firstRevision(conn) : Future.succeededFuture(0L);
        Future.all(begin, first).compose(x -> {
            BatchMerge.Merged merged = BatchMerge.merge(rows, bases, first.result());
            Future<?> insert = EventInserts.insert(conn, rows, merged.effects(), false, rollupWriter);
            Future<Map<UserKey, ConsentState>> state = writer.writeGuarded(conn, merged);
            Future<?> commit = conn.query("COMMIT").execute();
            return Future.all(insert, state, commit).map(all -> state.result());
        }).onSuccess(changed -> {
            held.putAll(changed);
            events.addAndGet(batch);
            loop(conn, rollupWriter, writer, held, batch, population, counter, events, end, done);
        }).onFailure(f -> {
            f.printStackTrace();
            conn.close();
            done.countDown();
        });
    }

    /** CPU ticks of the postmaster (with its ended children) and of every live child, as bench.sh counts them. */
    private static long pgTicks(long postmaster) throws IOException {
        long total = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String[] f;
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                } catch (IOException | RuntimeException notAProcess) {
                    continue;
                }
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == postmaster) {
                    total += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                } else if (Long.parseLong(f[1]) == postmaster) {
                    total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        }
        return total;
    }

    /** The event of wrk/post.lua for user {@code u}, as the ingest route normalises it. */
    private static ConsentEvent event(long u, Instant now) {
        String body = "{\"organization_id\":\"bench\",\"user\":{\"id\":\"h-" + u + "\",\"country\":\"FR\"},"
                + "\"regulation\":\"gdpr\",\"events\":[{\"action\":\"consent.given\",\"purpose\":\"analytics\"},"
                + "{\"action\":\"consent.refused\",\"purpose\":\"ads\"},{\"action\":\"consent.given\",\"vendor\":\"755\"}],"
                + "\"source\":{\"type\":\"web\",\"sdk_version\":\"2.1.0\",\"url\":\"https://shop.example/checkout\"}}";
        try {
            JsonNode node = MAPPER.readTree(body);
            return EventNormalizer.normalize(node, body,
                    new RequestContext(now, "127.0.0.1", "wrk", null, "harness"), null, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
