package io.consentvault.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import io.consentvault.platform.embedded.PostgresCluster;

/**
 * The PostgreSQL every test of this JVM talks to: a real server, started once from the machine's binaries (or the
 * shipped distribution) in a fresh directory, stopped when the JVM exits. Also a plain JDBC view of it, for tests that
 * check what was stored.
 */
public final class TestDatabase {

    private static PostgresCluster server;

    private TestDatabase() {
    }

    public static synchronized PostgresCluster server() {
        if (server == null) {
            try {
                Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cv-test-pg");
                dir.toFile().setExecutable(true, false);
                server = PostgresCluster.start(new PostgresCluster.Settings(dir.resolve("data"),
                        PostgresCluster.freePort(), "consent", "consent_vault"));
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return server;
    }

    /** The settings a Quarkus application under test needs to use this server. */
    public static Map<String, String> quarkusConfig() {
        PostgresCluster pg = server();
        return Map.of("quarkus.datasource.reactive.url", pg.reactiveUrl(), "quarkus.datasource.username",
                pg.settings().user(), "quarkus.datasource.password", pg.password());
    }

    public static Connection connect() throws SQLException {
        PostgresCluster pg = server();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.settings().user(), pg.password());
    }

    /** The single number a query answers. */
    public static long count(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single text a query answers (null when no row). */
    public static String text(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every value of the first column a query answers. */
    public static java.util.Set<String> texts(String sql, Object... params) {
        java.util.Set<String> values = new java.util.HashSet<>();
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    public static void execute(String sql) {
        try (Connection c = connect(); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
