package io.consentvault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import io.consentvault.platform.command.Command;
import io.consentvault.platform.command.CommandMode;
import io.consentvault.platform.embedded.PostgresCluster;
import io.consentvault.platform.embedded.SecretFiles;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. With no PostgreSQL configured it brings up the embedded default (a private server whose data survives
 * restarts) before the application starts: always in dev mode, and in the packaged service only when
 * {@code CONSENT_EMBEDDED_POSTGRES=true}, so that a production pod without a URL fails instead of keeping data in
 * its own container. With a first argument that is not an option, the jar runs that one-shot command instead of the
 * service ({@link CommandMode}).
 */
@QuarkusMain
public final class ConsentVaultMain {

    /** More than the HTTP shutdown timeout and the drain of queued events together. */
    private static final Duration APPLICATION_STOP_BOUND = Duration.ofSeconds(90);

    private ConsentVaultMain() {
    }

    public static void main(String... args) {
        // java -jar quarkus-run.jar <command> [arguments]: a one-shot command (CommandMode) instead of the service
        String command = CommandMode.wanted(args) ? args[0] : null;
        if (command != null) {
            int answered = CommandMode.check(args); // --help and bad arguments need nothing started
            if (answered >= 0) {
                System.exit(answered);
            }
            CommandMode.prepare(command);
        }
        if (embeddedWanted()) {
            PostgresCluster pg;
            try {
                pg = PostgresCluster.start(new PostgresCluster.Settings(dataDir(),
                        Integer.parseInt(setting("CONSENT_EMBEDDED_POSTGRES_PORT", "54329")), "consent",
                        "consent_vault"));
            } catch (RuntimeException e) {
                if (command == null) {
                    throw e;
                }
                CommandMode.exit(Command.FAILED, e);
                return;
            }
            System.setProperty("quarkus.datasource.reactive.url", pg.reactiveUrl());
            System.setProperty("quarkus.datasource.username", pg.settings().user());
            System.setProperty("quarkus.datasource.password", pg.password());
            // a command leaves running the server it found running: the service's, which still needs it
            if (command == null || !pg.reused()) {
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(() -> stopAfterApplication(pg), "embedded-postgres-stop"));
            }
            if (command == null) {
                // a ready-to-use tenant and admin token, kept beside the data (see DemoTenant)
                Path home = pg.settings().dataDir().toAbsolutePath().getParent();
                System.setProperty("consent.demo.keys-file", home.resolve("demo-keys.properties").toString());
                if (setting("CONSENT_ADMIN_TOKEN", null) == null) {
                    Path tokenFile = home.resolve("admin-token");
                    System.setProperty("consent.admin-token", adminToken(tokenFile));
                    System.setProperty("consent.demo.admin-token-file", tokenFile.toString());
                }
            }
        }
        if (command != null) {
            Quarkus.run(CommandMode.class, CommandMode::exit, args);
        } else {
            Quarkus.run(args);
        }
    }

    /**
     * Runs in a JVM shutdown hook, beside Quarkus's own, which still finishes the requests in flight and drains
     * queued events into this database: the server is stopped only once the application has stopped (or after
     * {@link #APPLICATION_STOP_BOUND}), and the hook returns only once it has, so it never outlives the service.
     */
    private static void stopAfterApplication(PostgresCluster pg) {
        Application application = Application.currentApplication();
        if (application != null) {
            Thread waiter = new Thread(application::awaitShutdown, "embedded-postgres-await-application");
            waiter.setDaemon(true);
            waiter.start();
            try {
                waiter.join(APPLICATION_STOP_BOUND.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (waiter.isAlive()) {
                say("the application has not stopped within " + APPLICATION_STOP_BOUND
                        + "; stopping the embedded PostgreSQL anyway");
            }
        }
        try {
            pg.close();
            say("embedded PostgreSQL on 127.0.0.1:" + pg.settings().port() + " stopped");
        } catch (RuntimeException e) {
            say("embedded PostgreSQL on 127.0.0.1:" + pg.settings().port() + " not stopped: " + e.getMessage());
        }
    }

    /** The log handlers close with the application: what happens after it goes to the console directly. */
    private static void say(String line) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
    }

    private static boolean embeddedWanted() {
        boolean configured = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL") != null
                || System.getProperty("quarkus.datasource.reactive.url") != null;
        if (configured) {
            return false;
        }
        String explicit = setting("CONSENT_EMBEDDED_POSTGRES", null);
        if (explicit != null) {
            return Boolean.parseBoolean(explicit);
        }
        return LaunchMode.current() == LaunchMode.DEVELOPMENT;
    }

    private static String adminToken(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String token = "cv_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            SecretFiles.write(file, token);
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the admin token in " + file, e);
        }
    }

    private static Path dataDir() {
        String explicit = setting("CONSENT_EMBEDDED_POSTGRES_DATA_DIR", null);
        if (explicit != null) {
            return Path.of(explicit);
        }
        // As root the server runs as an unprivileged user, who cannot enter /root.
        return "root".equals(System.getProperty("user.name"))
                ? Path.of("/var/lib/consent-vault/pgdata")
                : Path.of(System.getProperty("user.home"), ".local", "share", "consent-vault", "pgdata");
    }

    private static String setting(String env, String fallback) {
        String property = System.getProperty(env.toLowerCase().replace('_', '.'));
        if (property != null) {
            return property;
        }
        String value = System.getenv(env);
        return value != null ? value : fallback;
    }
}
