package io.consentvault.platform.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

/**
 * A private PostgreSQL server for the embedded default (dev launcher) and for the test suite: one cluster in one data
 * directory, created with initdb on first use, started, stopped and restarted.
 * <p>
 * Its programs are found by {@link PostgresBinaries}. PostgreSQL refuses to run as root, so when the JVM is root every
 * server command runs as the {@code postgres} system user (or {@code nobody}) through {@code runuser}.
 * <p>
 * The server listens on the loopback interface only; its superuser password is random, made at initdb and kept,
 * readable by its owner only, in {@code <data directory>.password}. A server found on the port is reused only when it
 * is this data directory's own.
 * <p>
 * Called from the launcher thread before Quarkus starts, or from a test resource; never from an event loop.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresCluster.class);

    /** Where and how to run the server; the superuser's password is the server's own ({@link #password()}). */
    public record Settings(Path dataDir, int port, String user, String database) {
    }

    /** The superuser password of clusters created before the password file existed. */
    private static final String FORMER_PASSWORD = "consent";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Settings settings;
    private final PostgresBinaries binaries;
    private final Optional<String> runAs;
    private final Path passwordFile;
    private String password;
    private boolean owned;
    private boolean reused;

    private PostgresCluster(Settings settings, PostgresBinaries binaries, Optional<String> runAs) {
        this.settings = settings;
        this.binaries = binaries;
        this.runAs = runAs;
        this.passwordFile = settings.dataDir().resolveSibling(settings.dataDir().getFileName() + ".password");
    }

    /**
     * Initialises the cluster on first use and starts it. A server already listening on the port is reused only when
     * it serves this data directory and takes its password; any other makes the start fail.
     */
    public static PostgresCluster start(Settings settings) {
        Optional<String> runAs = isRoot() ? Optional.of(unprivilegedUser()) : Optional.empty();
        PostgresCluster pg = new PostgresCluster(settings, PostgresBinaries.locate(runAs.isPresent()), runAs);
        try {
            pg.initIfNeeded();
            boolean formerPassword = pg.readPassword();
            pg.startServer();
            if (formerPassword) {
                pg.rotateFormerPassword();
            }
            pg.createDatabaseIfMissing();
        } catch (IOException | RuntimeException e) {
            pg.close(); // a server we started for a setup that failed must not outlive it
            throw new IllegalStateException("embedded PostgreSQL failed to start: " + e.getMessage(), e);
        }
        return pg;
    }

    public Settings settings() {
        return settings;
    }

    /** Whether {@link #start} found this data directory's server already running (another process started it). */
    public boolean reused() {
        return reused;
    }

    /** The superuser's password, random per cluster, kept (owner-only) in {@link #passwordFile()}. */
    public String password() {
        return password;
    }

    /** {@code <data directory>.password}, beside the data directory. */
    public Path passwordFile() {
        return passwordFile;
    }

    /** {@code postgresql://127.0.0.1:port/db}, the form of {@code QUARKUS_DATASOURCE_REACTIVE_URL}. */
    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + settings.port() + "/" + settings.database();
    }

    public String jdbcUrl() {
        return "jdbc:" + reactiveUrl();
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server quickly (clients are disconnected, committed data is kept) and waits until it has. */
    public void stop() {
        try {
            run(List.of(bin("pg_ctl"), "stop", "-D", settings.dataDir().toString(), "-m", "fast", "-w"), true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server again after {@link #stop()}. */
    public void restart() {
        try {
            startServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server if this object started it or verified it as serving its data directory. */
    @Override
    public void close() {
        if (owned && isAccepting()) {
            stop();
        }
    }

    private void initIfNeeded() throws IOException {
        Path dataDir = settings.dataDir();
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            return;
        }
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        // kept before initdb: a start interrupted after it finds a fresh password and initialises again
        String fresh = newPassword();
        SecretFiles.write(passwordFile, fresh + "\n");
        Path pwFile = Files.createTempFile("cv-pw", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(pwFile, fresh + "\n");
            if (runAs.isPresent()) {
                chown(dataDir);
                chown(pwFile);
                ensureTraversable(dataDir);
            }
            LOG.infof("initialising embedded PostgreSQL in %s with %s", dataDir, binaries.dir());
            run(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", settings.user(), "--pwfile=" + pwFile,
                    "-E", "UTF8", "--locale=C", "--auth-host=scram-sha-256", "--auth-local=trust"), true);
        } finally {
            Files.deleteIfExists(pwFile);
        }
    }

    /** Reads the kept password; true when there is none and the cluster still has the former constant one. */
    private boolean readPassword() throws IOException {
        if (Files.exists(passwordFile)) {
            password = SecretFiles.read(passwordFile);
            return false;
        }
        password = FORMER_PASSWORD;
        return true;
    }

    /**
     * A cluster created before the password file existed has the former constant password, with which any local
     * user could log in as superuser: it gets a random one, kept before it is set (a start interrupted in between
     * finds the file and a server refusing it, and says so).
     */
    private void rotateFormerPassword() throws IOException {
        String fresh = newPassword();
        try (Connection c = connect("postgres")) {
            SecretFiles.write(passwordFile, fresh + "\n");
            try {
                c.unwrap(PGConnection.class).alterUserPassword(settings.user(), fresh.toCharArray(), "scram-sha-256");
            } catch (SQLException e) {
                Files.deleteIfExists(passwordFile);
                throw e;
            }
            password = fresh;
            LOG.infof("embedded PostgreSQL: the former default password was replaced by a random one, kept in %s",
                    passwordFile);
        } catch (SQLException e) {
            throw new IOException("the cluster in " + settings.dataDir() + " has no password file (" + passwordFile
                    + ") and refuses the former default password: write its superuser's password into that file"
                    + " (readable by its owner only), or start over with an empty data directory: " + e.getMessage(),
                    e);
        }
    }

    /** initdb creates only "postgres"; the service uses its own database (the shipped distribution has no createdb). */
    private void createDatabaseIfMissing() throws IOException {
        if ("postgres".equals(settings.database())) {
            return;
        }
        try (Connection c = connect("postgres")) {
            PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?");
            exists.setString(1, settings.database());
            if (!exists.executeQuery().next()) {
                c.createStatement().execute("CREATE DATABASE \"" + settings.database().replace("\"", "") + "\"");
            }
        } catch (SQLException e) {
            throw new IOException("cannot create database " + settings.database() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checkpoints of an ingest service: under load the default 1 GB of WAL forces one every minute or two, and the
     * first change of every page after one writes the whole page to the WAL, a burst that was seen to stall commits (an ack
     * p99 of ~300 ms at c16 in an earlier run when a checkpoint started; later runs show stalls of another cause too). With 4 GB of WAL and 15 minutes, checkpoints come by time, several
     * times fewer, their writes spread over 90% of the interval; 1 GB of WAL segments is kept for reuse rather than
     * created anew. Crash recovery replays at most that WAL: a minute or two here.
     */
    static final String CHECKPOINTS = " -c max_wal_size=4GB -c min_wal_size=1GB -c checkpoint_timeout=15min"
            + " -c checkpoint_completion_target=0.9";

    private void startServer() throws IOException {
        if (isAccepting()) {
            verifyServesOurData();
            owned = true; // it is this data directory's server: stopping the service stops it too
            reused = true;
            LOG.infof("reusing the PostgreSQL already serving %s on 127.0.0.1:%d", settings.dataDir(),
                    settings.port());
            return;
        }
        Path log = settings.dataDir().resolve("server.log");
        String options = "-p " + settings.port() + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + " -c max_connections=200 -c shared_buffers=256MB" + CHECKPOINTS;
        // a postmaster.pid left by a killed server is no obstacle: pg_ctl and the postmaster check its pid
        run(List.of(bin("pg_ctl"), "start", "-D", settings.dataDir().toString(), "-w", "-t", "60", "-l",
                log.toString(), "-o", options), true);
        owned = true;
        LOG.infof("embedded PostgreSQL listening on 127.0.0.1:%d (data in %s)", settings.port(), settings.dataDir());
    }

    /**
     * Whatever listens on the port must be the server of this data directory: it takes this directory's password,
     * says it serves this directory, and reads in its own directory the lock file we see in ours (a server whose
     * directory was deleted, and maybe created again by initdb, cannot).
     */
    private void verifyServesOurData() throws IOException {
        String served;
        String serverLock;
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SHOW data_directory");
            rs.next();
            served = rs.getString(1);
            rs = st.executeQuery("SELECT pg_read_file('postmaster.pid')");
            rs.next();
            serverLock = rs.getString(1);
        } catch (SQLException e) {
            throw notOurs("it does not serve this data directory or refuses its password (" + e.getMessage() + ")");
        }
        if (!sameDirectory(Path.of(served), settings.dataDir())) {
            throw notOurs("it serves " + served);
        }
        Path ourLock = settings.dataDir().resolve("postmaster.pid");
        if (!Files.exists(ourLock) || !firstLines(serverLock).equals(firstLines(Files.readString(ourLock)))) {
            throw notOurs("it is not the server whose lock file is in " + settings.dataDir());
        }
    }

    private IllegalStateException notOurs(String why) {
        return new IllegalStateException("a server already listens on 127.0.0.1:" + settings.port()
                + " and it is not the PostgreSQL of " + settings.dataDir() + ": " + why
                + "; stop it, or choose another port with CONSENT_EMBEDDED_POSTGRES_PORT");
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return false; // one of them is gone
        }
    }

    /** The postmaster's pid and data directory, the lines of postmaster.pid that never change while it runs. */
    private static List<String> firstLines(String lockFile) {
        return lockFile.lines().limit(2).toList();
    }

    private Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + settings.port() + "/" + database, props);
    }

    private static String newPassword() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    public boolean isAccepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", settings.port()), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A client program of this installation ({@code pg_dump}, {@code psql}, ...). */
    public Path program(String name) {
        return binaries.program(name);
    }

    private String bin(String name) {
        return binaries.program(name).toString();
    }

    private void run(List<String> command, boolean failOnError) throws IOException {
        List<String> full = new ArrayList<>();
        if (runAs.isPresent()) {
            full.addAll(List.of("runuser", "-u", runAs.get(), "--"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        // pg_ctl must not inherit our stdout: the server would hold the pipe open.
        Path output = Files.createTempFile("cv-pg", ".log");
        output.toFile().setReadable(true, false);
        output.toFile().setWritable(true, false);
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0 && failOnError) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private void chown(Path path) throws IOException {
        List<String> command = List.of("chown", "-R", runAs.orElseThrow(), path.toString());
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IOException("chown failed for " + path);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The unprivileged user must be able to walk down to the data directory. */
    private static void ensureTraversable(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException(p + " is not traversable by the PostgreSQL user; choose a data directory"
                        + " outside it with CONSENT_EMBEDDED_POSTGRES_DATA_DIR");
            }
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String unprivilegedUser() {
        try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
            return lines.anyMatch(l -> l.startsWith("postgres:")) ? "postgres" : "nobody";
        } catch (IOException e) {
            return "nobody";
        }
    }
}
