package io.consentvault.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import io.consentvault.platform.embedded.PostgresCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default on a machine without PostgreSQL: the distribution shipped through Maven is unpacked, a cluster
 * is created, started (as an unprivileged user when we are root), answers SQL, and keeps its data across a restart.
 * Runs no service: an IT because it unpacks and starts a whole PostgreSQL, too slow for the unit tier.
 */
class ShippedPostgresIT {

    @Test
    void theShippedDistributionRunsAndKeepsItsData() throws Exception {
        System.setProperty("consent.postgres.bin", "shipped");
        Path dir = Files.createTempDirectory("cv-shipped-pg");
        dir.toFile().setExecutable(true, false);
        PostgresCluster.Settings settings = new PostgresCluster.Settings(dir.resolve("data"),
                PostgresCluster.freePort(), "consent", "consent_vault");
        PostgresCluster pg = PostgresCluster.start(settings);
        try {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "consent", pg.password())) {
                c.createStatement().execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
                ResultSet version = c.createStatement().executeQuery("SHOW server_version");
                version.next();
                assertTrue(version.getString(1).startsWith("15."), version.getString(1));
            }
            pg.stop();
            pg.restart();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "consent", pg.password())) {
                ResultSet kept = c.createStatement().executeQuery("SELECT v FROM kept");
                kept.next();
                assertEquals("still here", kept.getString(1));
            }
        } finally {
            System.clearProperty("consent.postgres.bin");
            pg.close();
        }
    }
}
