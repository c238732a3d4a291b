package io.consentvault.state.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.UserKey;
import io.consentvault.state.StateConfig;
import io.consentvault.state.repository.StateChanges;
import io.consentvault.state.repository.StateRepository;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The hot cache in front of {@code consent_state}: bounded by weight (the bytes of the serialized answers), filled on
 * a miss by one load per key however many requests wait for it (many keys of a bulk lookup in one query), replaced on
 * commit by this replica's writes, and emptied of the users other replicas change (via {@link StateChanges}).
 * Unknown users are cached too, as {@link CachedUser#MISSING}. Thread-safe; lookups never block.
 * <p>
 * A commit's put can arrive after the announcement of a newer write of the same user (or of its erasure) was heard, or
 * after a newer state was loaded. So a put never replaces an entry of the same or a newer revision, and each
 * invalidation is remembered for {@link #REMEMBERED_FOR} with the revision announced ({@link StateChanges#GONE} for an
 * erasure): a put at or below it is dropped, and the next read loads. Should more invalidations come within that time
 * than {@link #REMEMBERED_AT_MOST}, commits drop their users' entries instead of putting them until it has passed.
 */
@ApplicationScoped
public class StateCache {

    private static final Logger LOG = Logger.getLogger(StateCache.class);

    /** Far longer than a commit's put can lag behind the commit without the event loop being reported blocked. */
    static final Duration REMEMBERED_FOR = Duration.ofSeconds(5);
    static final int REMEMBERED_AT_MOST = 100_000;

    private final AsyncLoadingCache<UserKey, CachedUser> cache;
    /** The users invalidated lately, with the revision announced. */
    private final Cache<UserKey, Long> invalidated;
    /** Until when ({@link System#nanoTime}) commits do not put: an invalidation was forgotten too early. */
    private volatile long unorderedUntil = System.nanoTime();

    public StateCache(StateRepository repository, StateConfig config, StateChanges changes, MeterRegistry registry) {
        Executor direct = Runnable::run; // completions arrive on event loops; no hop to a worker pool
        long bound = StateConfig.bound(config.maxBytes(), Runtime.getRuntime().maxMemory());
        LOG.infof("hot cache: at most %d MiB of users%s", bound >> 20,
                config.maxBytes().isPresent() ? "" : " (a quarter of the heap)");
        this.cache = Caffeine.newBuilder()
                .maximumWeight(bound)
                .weigher((UserKey k, CachedUser v) -> v.weight() + k.userKey().length() * 2)
                .executor(direct)
                .recordStats()
                .buildAsync(new AsyncCacheLoader<>() {
                    @Override
                    public CompletableFuture<CachedUser> asyncLoad(UserKey key, Executor executor) {
                        return repository.load(List.of(key)).thenApply(found -> entry(key, found.get(key)));
                    }

                    @Override
                    public CompletableFuture<Map<UserKey, CachedUser>> asyncLoadAll(Set<? extends UserKey> keys,
                            Executor executor) {
                        return repository.load(keys).thenApply(found -> {
                            Map<UserKey, CachedUser> entries = new HashMap<>();
                            keys.forEach(k -> entries.put(k, entry(k, found.get(k))));
                            return entries;
                        });
                    }
                });
        this.invalidated = Caffeine.newBuilder()
                .expireAfterWrite(REMEMBERED_FOR)
                .maximumSize(REMEMBERED_AT_MOST)
                .executor(direct)
                .evictionListener((UserKey k, Long revision, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        forgotten();
                    }
                })
                .build();
        changes.onChanged(this::invalidated);
        changes.onReset(() -> cache.synchronous().invalidateAll());
        registerMetrics(registry);
    }

    public CompletableFuture<CachedUser> get(UserKey key) {
        return cache.get(key);
    }

    public CompletableFuture<Map<UserKey, CachedUser>> getAll(Collection<UserKey> keys) {
        return cache.getAll(keys);
    }

    /** The entry held for this user if it is loaded, else null; never loads, and counts neither hit nor miss. */
    public CachedUser peek(UserKey key) {
        CompletableFuture<CachedUser> held = cache.asMap().get(key);
        return held != null && held.isDone() && !held.isCompletedExceptionally() ? held.join() : null;
    }

    /**
     * After this replica committed new states: the answers are replaced at once, unless what is held or was heard
     * meanwhile is as new or newer. A user's first state ({@code created}) replaces only what is held or loading (an
     * unknown user, say) and is otherwise left to the first read: many users send one event and are never looked up,
     * and a burst of them would push out the users that are.
     */
    public void committed(Map<UserKey, ConsentState> states, Set<UserKey> created) {
        states.forEach((k, s) -> {
            if (created.contains(k)) {
                cache.asMap().computeIfPresent(k, (key, held) -> newest(key, held, s));
            } else {
                cache.asMap().compute(k, (key, held) -> newest(key, held, s));
            }
        });
    }

    /** What to hold for {@code key} once {@code state} is committed: runs atomically with the key's invalidations. */
    private CompletableFuture<CachedUser> newest(UserKey key, CompletableFuture<CachedUser> held, ConsentState state) {
        Long heard = invalidated.getIfPresent(key);
        if (heard != null && heard >= state.revision()) {
            return held; // loaded since the announcement (an invalidation empties the entry), or nothing
        }
        if (heard == null && System.nanoTime() - unorderedUntil < 0) {
            return null; // it may have been forgotten (an eviction sets the time before it shows)
        }
        if (held != null && held.isDone() && !held.isCompletedExceptionally()) {
            CachedUser user = held.join();
            if (user.exists() && user.state().revision() >= state.revision()) {
                return held;
            }
        }
        return CompletableFuture.completedFuture(CachedUser.of(key.organizationId(), state));
    }

    /** This replica erased the user. */
    public void erased(UserKey key) {
        invalidated(Map.of(key, StateChanges.GONE));
    }

    /**
     * Another replica changed these users, each to the revision given ({@link StateChanges#GONE}: erased). Remembered
     * before the entries go, so that a put either comes first (and goes with them) or sees it.
     */
    void invalidated(Map<UserKey, Long> revisions) {
        revisions.forEach((key, revision) -> {
            invalidated.asMap().merge(key, revision, Math::max);
            cache.synchronous().invalidate(key);
        });
    }

    /** An invalidation was forgotten before its time (too many at once): puts cannot be ordered for a while. */
    private void forgotten() {
        boolean was = System.nanoTime() - unorderedUntil >= 0;
        unorderedUntil = System.nanoTime() + REMEMBERED_FOR.toNanos();
        if (was) {
            LOG.warnf("more than %d users invalidated within %s: commits drop entries instead of putting them for %s",
                    REMEMBERED_AT_MOST, REMEMBERED_FOR, REMEMBERED_FOR);
        }
    }

    private static CachedUser entry(UserKey key, ConsentState state) {
        return state == null ? CachedUser.MISSING : CachedUser.of(key.organizationId(), state);
    }

    private void registerMetrics(MeterRegistry registry) {
        FunctionCounter.builder("consent.cache.hits", cache, c -> stats(c).hitCount())
                .description("lookups answered from memory").register(registry);
        FunctionCounter.builder("consent.cache.misses", cache, c -> stats(c).missCount())
                .description("lookups that had to load").register(registry);
        FunctionCounter.builder("consent.cache.loads", cache, c -> stats(c).loadCount())
                .description("loads from the state table").register(registry);
        FunctionCounter.builder("consent.cache.evictions", cache, c -> stats(c).evictionCount())
                .description("entries evicted for room").register(registry);
        Gauge.builder("consent.cache.size", cache, c -> c.synchronous().estimatedSize())
                .description("users held").register(registry);
    }

    private static CacheStats stats(AsyncLoadingCache<UserKey, CachedUser> c) {
        return c.synchronous().stats();
    }
}
