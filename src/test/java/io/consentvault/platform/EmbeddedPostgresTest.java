package io.consentvault.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.consentvault.platform.embedded.PostgresCluster;
import io.consentvault.support.Poll;
import io.consentvault.support.TestDatabase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded PostgreSQL's own safety: its superuser password is random and kept owner-only beside the data, and a
 * start never attaches to a server that is not serving its own data directory.
 */
class EmbeddedPostgresTest {

    private static final String FORMER_CONSTANT = "consent";

    private final java.util.List<PostgresCluster> started = new java.util.ArrayList<>();
    private final java.util.List<Path> dirs = new java.util.ArrayList<>();

    @AfterEach
    void stopEverything() throws IOException {
        for (PostgresCluster pg : started) {
            pg.close();
        }
        for (Path dir : dirs) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theServerSpreadsItsCheckpointsOverMoreWal() throws Exception {
        try (Connection c = TestDatabase.connect(); var st = c.createStatement()) {
            java.util.Map<String, String> settings = new java.util.HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT name, current_setting(name) FROM pg_settings"
                    + " WHERE name IN ('max_wal_size', 'min_wal_size', 'checkpoint_timeout',"
                    + " 'checkpoint_completion_target', 'shared_buffers')")) {
                while (rs.next()) {
                    settings.put(rs.getString(1), rs.getString(2));
                }
            }
            assertEquals(java.util.Map.of("max_wal_size", "4GB", "min_wal_size", "1GB", "checkpoint_timeout", "15min",
                    "checkpoint_completion_target", "0.9", "shared_buffers", "256MB"), settings);
        }
    }

    @Test
    void thePasswordIsRandomKeptOwnerOnlyAndTheFormerConstantIsRefused() throws Exception {
        Path data = newDir().resolve("pgdata");
        PostgresCluster pg = start(data, PostgresCluster.freePort());

        Path file = data.resolveSibling("pgdata.password");
        assertTrue(Files.exists(file), "the password is kept beside the data");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String password = Files.readString(file).trim();
        assertNotEquals(FORMER_CONSTANT, password);
        assertTrue(password.length() >= 20, "a random password, not a word");
        assertEquals(password, pg.password());
        assertEquals(data.toRealPath().toString(), dataDirectoryServed(pg, password));
        assertRefused(pg, FORMER_CONSTANT);

        Path other = newDir().resolve("pgdata");
        PostgresCluster second = start(other, PostgresCluster.freePort());
        assertNotEquals(password, second.password(), "each cluster has its own password");
    }

    @Test
    void aServerOfAnotherDataDirectoryOnThePortIsNotReused() throws Exception {
        int port = PostgresCluster.freePort();
        Path otherData = newDir().resolve("pgdata");
        PostgresCluster other = start(otherData, port);

        Path ours = newDir().resolve("pgdata");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(ours, port));
        assertRefusalSays(refused, port);
        assertEquals(otherData.toRealPath().toString(),
                dataDirectoryServed(other, other.password()), "the other server is left alone");
    }

    @Test
    void aServerThatTakesOurPasswordButServesAnotherDirectoryIsNotReused() throws Exception {
        // ours exists and is stopped; the server on the port is another cluster that happens to take our password
        Path ours = newDir().resolve("pgdata");
        PostgresCluster first = start(ours, PostgresCluster.freePort());
        String ourPassword = first.password();
        first.stop();

        int port = PostgresCluster.freePort();
        Path otherData = newDir().resolve("pgdata");
        PostgresCluster other = start(otherData, port);
        try (Connection c = DriverManager.getConnection(other.jdbcUrl(), other.settings().user(),
                other.password())) {
            c.unwrap(org.postgresql.PGConnection.class).alterUserPassword(other.settings().user(),
                    ourPassword.toCharArray(), "scram-sha-256");
        }

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(ours, port));
        assertRefusalSays(refused, port);
        assertTrue(refused.getMessage().contains(otherData.toRealPath().toString()),
                "names the directory that server serves: " + refused.getMessage());
        assertEquals(otherData.toRealPath().toString(), dataDirectoryServed(other, ourPassword));
    }

    @Test
    void aLeftoverServerWhoseDataDirectoryWasDeletedIsNotReused() throws Exception {
        // the reset of the quick start: the data directory is deleted while a previous run's server still listens
        int port = PostgresCluster.freePort();
        Path data = newDir().resolve("pgdata");
        start(data, port);
        started.clear(); // its directory is about to go: it is stopped by its pid below
        ProcessHandle leftover = ProcessHandle
                .of(Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim())).orElseThrow();
        try {
            deleteTree(data);

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(data, port));
            assertRefusalSays(refused, port);
        } finally {
            leftover.destroy();
            Poll.until("the leftover server to exit", Duration.ofSeconds(30), () -> !leftover.isAlive());
        }
    }

    @Test
    void aClusterWithTheFormerConstantPasswordGetsARandomOne() throws Exception {
        // a cluster created by a version that used the constant: no password file beside it
        Path data = newDir().resolve("pgdata");
        PostgresCluster former = start(data, PostgresCluster.freePort());
        try (Connection c = DriverManager.getConnection(former.jdbcUrl(), former.settings().user(),
                former.password())) {
            c.unwrap(org.postgresql.PGConnection.class).alterUserPassword(former.settings().user(),
                    FORMER_CONSTANT.toCharArray(), "scram-sha-256");
        }
        former.stop();
        Files.deleteIfExists(data.resolveSibling("pgdata.password"));

        PostgresCluster pg = start(data, PostgresCluster.freePort());
        Path file = data.resolveSibling("pgdata.password");
        assertTrue(Files.exists(file), "the new password is kept beside the data");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String password = Files.readString(file).trim();
        assertNotEquals(FORMER_CONSTANT, password);
        assertEquals(data.toRealPath().toString(), dataDirectoryServed(pg, password));
        assertRefused(pg, FORMER_CONSTANT);
    }

    private PostgresCluster start(Path data, int port) {
        PostgresCluster pg = PostgresCluster
                .start(new PostgresCluster.Settings(data, port, "consent", "consent_vault"));
        started.add(pg);
        return pg;
    }

    private Path newDir() throws IOException {
        Path dir = Files.createTempDirectory("cv-embedded-pg");
        dir.toFile().setExecutable(true, false); // as root the server runs as another user, who must enter it
        dirs.add(dir);
        return dir;
    }

    private static void assertRefusalSays(IllegalStateException refused, int port) {
        assertTrue(refused.getMessage().contains(Integer.toString(port)), "names the port: " + refused.getMessage());
        assertTrue(refused.getMessage().contains("CONSENT_EMBEDDED_POSTGRES_PORT"),
                "says how to choose another: " + refused.getMessage());
    }

    private static String dataDirectoryServed(PostgresCluster pg, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.settings().user(), password);
                ResultSet rs = c.createStatement().executeQuery("SHOW data_directory")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void assertRefused(PostgresCluster pg, String password) {
        SQLException refused = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(pg.jdbcUrl(), pg.settings().user(), password).close());
        assertEquals("28P01", refused.getSQLState(), "refused for its password: " + refused.getMessage());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
