package io.consentvault.tenancy;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.consentvault.tenancy.auth.ApiKeys;
import io.consentvault.tenancy.auth.KeyRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The embedded default's ready-to-use tenant: an organization {@code demo} with an SDK key ({@code events:write}) and
 * a server key (every scope), created on the first start and printed at every start with the admin token, so the
 * quick start works in one command. The keys are kept (readable by the owner only) in the file named by
 * {@code consent.demo.keys-file}, which only the embedded default sets; production never runs this.
 */
@ApplicationScoped
public class DemoTenant {

    private static final Logger LOG = Logger.getLogger(DemoTenant.class);

    private final Pool pool;
    private final KeyRegistry registry;
    private final Optional<String> keysFile;
    private final Optional<String> adminToken;

    public DemoTenant(Pool pool, KeyRegistry registry,
            @ConfigProperty(name = "consent.demo.keys-file") Optional<String> keysFile,
            @ConfigProperty(name = "consent.admin-token") Optional<String> adminToken) {
        this.pool = pool;
        this.registry = registry;
        this.keysFile = keysFile;
        this.adminToken = adminToken;
    }

    void onStart(@Observes @Priority(2000) StartupEvent event) throws IOException {
        if (keysFile.isEmpty()) {
            return;
        }
        Path file = Path.of(keysFile.get());
        Properties keys = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                keys.load(in);
            }
        } else {
            pool.preparedQuery("INSERT INTO organizations (id, name) VALUES ('demo', 'Demo') ON CONFLICT DO NOTHING")
                    .execute().await().atMost(Duration.ofSeconds(30));
            keys.setProperty("sdk", create("demo SDK (web pages)", "events:write"));
            keys.setProperty("server", create("demo server", String.join(" ", Scope.ALL)));
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer out = Files.newBufferedWriter(file)) {
                keys.store(out, "consent-vault demo keys (embedded default only)");
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            registry.reload().toCompletionStage().toCompletableFuture().join();
        }
        LOG.infof(
                """

                        consent-vault embedded default is ready on http://localhost:8080 (organization "demo")
                          admin token : %s
                          SDK key     : %s   (events:write)
                          server key  : %s   (every scope)
                          try: curl -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                                 -d '{"organization_id":"demo","user":{"id":"u1"},"events":[{"action":"consent.given","purpose":"analytics"}]}' \\
                                 http://localhost:8080/v1/consents/events
                        """,
                adminToken.orElse("(unset)"), keys.getProperty("sdk"), keys.getProperty("server"),
                keys.getProperty("sdk"));
    }

    private String create(String name, String scopes) {
        ApiKeys.NewKey key = ApiKeys.generate();
        pool.preparedQuery("INSERT INTO api_keys (id, organization_id, name, secret_hash, scopes)"
                + " VALUES ($1, 'demo', $2, $3, $4)").execute(Tuple.of(key.id(), name, key.secretHash(), scopes))
                .await().atMost(Duration.ofSeconds(30));
        return key.key();
    }
}
