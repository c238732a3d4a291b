package io.consentvault.tenancy.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.consentvault.platform.lifecycle.ServiceStart;
import io.consentvault.platform.notify.PgNotifications;
import io.quarkus.scheduler.Scheduled;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

/**
 * Every live API key and every organization's allowed origins, in memory, so that a request is authenticated without
 * a database round trip. Reloaded whole (it is small) when any replica announces a change on the {@code consent_keys}
 * channel, after the listening connection comes back, and every minute as a safety net. Thread-safe: readers see an
 * immutable snapshot.
 */
@ApplicationScoped
public class KeyRegistry {

    public static final String CHANNEL = "consent_keys";

    /** Every live key; read whole (a small table), never per request. */
    public static final String KEYS = "SELECT id, organization_id, secret_hash, scopes FROM api_keys"
            + " WHERE revoked_at IS NULL";

    /** Every organization's allowed origins. */
    public static final String ORIGINS = "SELECT id, allowed_origins FROM organizations";

    private static final Logger LOG = Logger.getLogger(KeyRegistry.class);

    /** A live key; {@code secretHash} is the SHA-256 of its secret. */
    public record KeyInfo(String id, String organizationId, byte[] secretHash, Set<String> scopes) {
    }

    record Snapshot(Map<String, KeyInfo> keys, Map<String, Set<String>> origins) {
    }

    private final Pool pool;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());
    /** Reloads started, and the number of the one whose snapshot is installed. */
    private final AtomicLong started = new AtomicLong();
    private long installed; // guarded by this

    public KeyRegistry(Pool pool, PgNotifications notifications) {
        this.pool = pool;
        notifications.listen(CHANNEL, payload -> reload(), this::reload);
    }

    void onStart(@Observes ServiceStart start) {
        reload().toCompletionStage().toCompletableFuture().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
                .join();
    }

    @Scheduled(every = "PT1M", delayed = "PT1M")
    void periodic() {
        reload();
    }

    public KeyInfo key(String id) {
        return snapshot.keys().get(id);
    }

    /** The origins allowed for an organization (empty: any). */
    public Set<String> allowedOrigins(String organizationId) {
        return snapshot.origins().getOrDefault(organizationId, Set.of());
    }

    /** Whether any organization allows this origin (answers CORS preflights, which carry no key). */
    public boolean anyAllows(String origin) {
        for (Set<String> allowed : snapshot.origins().values()) {
            if (allowed.isEmpty() || allowed.contains(origin)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads every live key and every organization's origins and installs them, unless a reload that started later has
     * installed its snapshot already (reloads overlap: an older answer must never bring back a revoked key). A row this
     * version cannot read is skipped with a warning; it never stops the others from loading.
     */
    public io.vertx.core.Future<Void> reload() {
        long generation = started.incrementAndGet();
        return pool.query(KEYS).execute().compose(keyRows -> pool.query(ORIGINS).execute()
                .map(orgRows -> {
                    install(generation, new Snapshot(keys(keyRows), origins(orgRows)));
                    return (Void) null;
                }))
                .onFailure(e -> LOG.warnf("keys not reloaded: %s", e.getMessage()));
    }

    /** Installs a snapshot read by reload number {@code generation}, unless a later one is installed. */
    synchronized void install(long generation, Snapshot next) {
        if (generation > installed) {
            installed = generation;
            snapshot = next;
        }
    }

    private static Map<String, KeyInfo> keys(Iterable<Row> rows) {
        Map<String, KeyInfo> keys = new HashMap<>();
        for (Row r : rows) {
            try {
                keys.put(r.getString(0), new KeyInfo(r.getString(0), r.getString(1),
                        ApiKeys.hashBytes(r.getString(2)), words(r.getString(3))));
            } catch (RuntimeException e) {
                LOG.warnf("api key %s skipped: its stored row is malformed (%s)", r.getString(0),
                        e.getClass().getSimpleName());
            }
        }
        return Map.copyOf(keys);
    }

    private static Map<String, Set<String>> origins(Iterable<Row> rows) {
        Map<String, Set<String>> origins = new HashMap<>();
        for (Row r : rows) {
            origins.put(r.getString(0), words(r.getString(1)));
        }
        return Map.copyOf(origins);
    }

    /** A space-separated list as a set; repeated words count once. */
    private static Set<String> words(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        return Set.copyOf(java.util.Arrays.asList(list.trim().split("\\s+")));
    }
}
