package io.consentvault.tenancy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.consentvault.platform.embedded.SecretFiles;
import io.consentvault.platform.lifecycle.ServiceStart;
import io.consentvault.tenancy.auth.ApiKeys;
import io.consentvault.tenancy.auth.KeyRegistry;
import io.consentvault.tenancy.auth.Scope;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The embedded default's ready-to-use tenant: an organization {@code demo} with an SDK key ({@code events:write}) and
 * a server key (every scope), so the quick start works in one command. The keys are kept (readable by the owner only)
 * in the file named by {@code consent.demo.keys-file}, which only the embedded default sets; production never runs
 * this. The database decides, not the file: at every start the organization and each kept key are checked there
 * (present, not revoked, same secret) and whatever is missing is created again and the file rewritten, so the keys
 * printed always work, also after the data directory was deleted. The admin token is not printed, only where it is
 * kept.
 */
@ApplicationScoped
public class DemoTenant {

    private static final Logger LOG = Logger.getLogger(DemoTenant.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A key of the demo organization: its name in the keys file, its name in the database, its scopes. */
    private record DemoKey(String property, String name, String scopes) {
    }

    private static final List<DemoKey> KEYS = List.of(new DemoKey("sdk", "demo SDK (web pages)", Scope.EVENTS_WRITE),
            new DemoKey("server", "demo server", String.join(" ", Scope.ALL)));

    private final Pool pool;
    private final KeyRegistry registry;
    private final Optional<String> keysFile;
    private final Optional<String> adminTokenFile;
    private final Optional<String> adminToken;
    private final int httpPort;

    public DemoTenant(Pool pool, KeyRegistry registry,
            @ConfigProperty(name = "consent.demo.keys-file") Optional<String> keysFile,
            @ConfigProperty(name = "consent.demo.admin-token-file") Optional<String> adminTokenFile,
            @ConfigProperty(name = "consent.admin-token") Optional<String> adminToken,
            @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        this.pool = pool;
        this.registry = registry;
        this.keysFile = keysFile;
        this.adminTokenFile = adminTokenFile;
        this.adminToken = adminToken;
        this.httpPort = httpPort;
    }

    void onStart(@Observes @Priority(2000) ServiceStart start) throws IOException {
        if (keysFile.isEmpty()) {
            return;
        }
        Path file = Path.of(keysFile.get());
        Properties keys = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                keys.load(in);
            }
        }
        pool.preparedQuery("INSERT INTO organizations (id, name) VALUES ('demo', 'Demo') ON CONFLICT DO NOTHING")
                .execute().await().atMost(TIMEOUT);
        boolean created = false;
        for (DemoKey demo : KEYS) {
            String key = keys.getProperty(demo.property());
            if (key == null || !isLive(key)) {
                keys.setProperty(demo.property(), create(demo.name(), demo.scopes()));
                created = true;
            }
        }
        if (created) {
            StringWriter out = new StringWriter();
            keys.store(out, "consent-vault demo keys (embedded default only)");
            SecretFiles.write(file, out.toString());
            registry.reload().toCompletionStage().toCompletableFuture().join();
        }
        String base = "http://localhost:" + httpPort;
        LOG.infof(
                """

                        consent-vault embedded default is ready on %s (organization "demo")
                          admin token : %s
                          SDK key     : %s   (events:write)
                          server key  : %s   (every scope)
                          (the keys are kept in %s)
                          try: curl -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                                 -d '{"organization_id":"demo","user":{"id":"u1"},"events":[{"action":"consent.given","purpose":"analytics"}]}' \\
                                 %s/v1/consents/events
                        """,
                base, adminTokenWhere(), keys.getProperty("sdk"), keys.getProperty("server"), file,
                keys.getProperty("sdk"), base);
    }

    /** Where the admin token is, never the token itself: logs are copied and shared. */
    private String adminTokenWhere() {
        if (adminTokenFile.isPresent()) {
            return "kept in " + adminTokenFile.get() + " (readable by its owner only)";
        }
        return adminToken.isPresent() ? "the value of CONSENT_ADMIN_TOKEN" : "(unset)";
    }

    /** Whether the database holds this key for the demo organization, not revoked, with this secret. */
    private boolean isLive(String key) {
        String[] idAndSecret = ApiKeys.parse(key);
        if (idAndSecret == null) {
            return false;
        }
        RowIterator<Row> rows = pool.preparedQuery("SELECT secret_hash FROM api_keys"
                + " WHERE id = $1 AND organization_id = 'demo' AND revoked_at IS NULL")
                .execute(Tuple.of(idAndSecret[0])).await().atMost(TIMEOUT).iterator();
        return rows.hasNext() && ApiKeys.matches(idAndSecret[1], ApiKeys.hashBytes(rows.next().getString(0)));
    }

    private String create(String name, String scopes) {
        ApiKeys.NewKey key = ApiKeys.generate();
        pool.preparedQuery("INSERT INTO api_keys (id, organization_id, name, secret_hash, scopes)"
                + " VALUES ($1, 'demo', $2, $3, $4)").execute(Tuple.of(key.id(), name, key.secretHash(), scopes))
                .await().atMost(TIMEOUT);
        return key.key();
    }
}
