package io.consentvault.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.consentvault.platform.embedded.PostgresCluster;
import io.consentvault.support.Events;
import io.consentvault.support.PackagedService;
import io.consentvault.support.Poll;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quick start as a user runs it (the packaged service with {@code CONSENT_EMBEDDED_POSTGRES=true}), reset the
 * natural way: stop it, delete the data directory, start again. The printed key works before and after; stopping the
 * service stops its PostgreSQL, but only once the service is done with it; the admin token is not printed.
 * <p>
 * Not a {@code @QuarkusIntegrationTest}: it sends the service SIGTERM with a request in flight, watches it exit, and
 * starts it again on a deleted data directory. The artifact such a test runs on is Quarkus's process, started once
 * and stopped only by Quarkus.
 */
class QuickStartResetIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SDK_KEY = Pattern.compile("SDK key\\s*:\\s*(cv_live_\\S+)");

    @Test
    void thePrintedKeyWorksAfterTheDataDirectoryIsDeleted() throws Exception {
        Path home = Files.createTempDirectory("cv-quick-start");
        home.toFile().setExecutable(true, false); // as root the server runs as another user, who must enter it
        Path data = home.resolve("pgdata");
        int pgPort = PostgresCluster.freePort();
        Map<String, String> env = Map.of("CONSENT_EMBEDDED_POSTGRES", "true", "CONSENT_EMBEDDED_POSTGRES_DATA_DIR",
                data.toString(), "CONSENT_EMBEDDED_POSTGRES_PORT", Integer.toString(pgPort));
        PackagedService first = null;
        PackagedService second = null;
        try {
            first = PackagedService.launch("quick-start-1", env);
            String key = printedSdkKey(first);
            assertEquals(201, first.post("/v1/consents/events", key, event()).statusCode(), first.logTail());

            // SIGTERM while a request is in flight, its write held by a lock: the service finishes it, so its
            // database must still be there
            String password = Files.readString(home.resolve("pgdata.password")).trim();
            try (Connection lock = connect(pgPort, password); Connection watch = connect(pgPort, password)) {
                lock.setAutoCommit(false);
                lock.createStatement().execute("LOCK TABLE events IN SHARE MODE");
                CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(HttpRequest
                        .newBuilder(URI.create(first.base + "/v1/consents/events")).header("Authorization",
                                "Bearer " + key)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event()))
                        .build(), HttpResponse.BodyHandlers.ofString());
                Poll.until("the event's write to wait for the lock", Duration.ofSeconds(30),
                        () -> waitingForALock(watch));
                first.process.destroy();
                PackagedService stopping = first;
                Poll.until("the service to refuse new requests", Duration.ofSeconds(30),
                        () -> stopping.status("/q/health/ready") != 200);
                assertDoesNotThrow(() -> lock.commit(),
                        "the embedded PostgreSQL is stopped while the service still finishes a request");
                assertEquals(201, inFlight.get(60, TimeUnit.SECONDS).statusCode(),
                        "the request in flight at SIGTERM\n" + first.logTail());
            }
            assertTrue(first.process.waitFor(90, TimeUnit.SECONDS), "the service exits");
            assertFalse(accepts(pgPort), "stopping the service stops its PostgreSQL");

            deleteTree(data);
            second = PackagedService.launch("quick-start-2", env);
            String keyAfterReset = printedSdkKey(second);
            assertEquals(201, second.post("/v1/consents/events", keyAfterReset, event()).statusCode(),
                    "the printed key after the reset\n" + second.logTail());

            String adminToken = Files.readString(home.resolve("admin-token")).trim();
            assertFalse(Files.readString(first.log).contains(adminToken), "the admin token is in the log");
            assertFalse(Files.readString(second.log).contains(adminToken), "the admin token is in the log");
            assertTrue(Files.readString(second.log).contains(home.resolve("admin-token").toString()),
                    "the log says where the admin token is kept");
            for (String secret : new String[]{"admin-token", "demo-keys.properties", "pgdata.password"}) {
                assertEquals("rw-------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(secret))), secret);
            }
            assertNotEquals(key, keyAfterReset);
        } finally {
            for (PackagedService service : new PackagedService[]{first, second}) {
                if (service != null) {
                    service.process.destroy();
                    service.process.waitFor(90, TimeUnit.SECONDS);
                    service.close();
                }
            }
            if (accepts(pgPort) && Files.exists(data.resolve("postmaster.pid"))) {
                PostgresCluster
                        .start(new PostgresCluster.Settings(data, pgPort, "consent", "consent_vault")).close();
            }
            deleteTree(home);
        }
    }

    private static String printedSdkKey(PackagedService service) throws IOException {
        Poll.until("the demo keys to be printed", Duration.ofSeconds(30),
                () -> SDK_KEY.matcher(read(service.log)).find());
        Matcher m = SDK_KEY.matcher(Files.readString(service.log));
        m.find();
        return m.group(1);
    }

    private static String event() {
        return Events.event("demo", Events.unique("user"));
    }

    private static Connection connect(int port, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/consent_vault", "consent",
                password);
    }

    private static boolean waitingForALock(Connection watch) {
        try (ResultSet rs = watch.createStatement().executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'consent_vault'")) {
            rs.next();
            return rs.getLong(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
