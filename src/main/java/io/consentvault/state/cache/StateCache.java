package io.consentvault.state.cache;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import io.consentvault.state.StateConfig;
import io.consentvault.state.model.ConsentState;
import io.consentvault.state.repository.StateRepository;
import io.consentvault.state.repository.StateWriter.UserKey;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The hot cache in front of {@code consent_state}: bounded by weight (the bytes of the serialized answers), filled on
 * a miss by one load per key however many requests wait for it (many keys of a bulk lookup in one query), replaced on
 * commit by this replica's writes, and emptied of the users other replicas change (via {@link StateChanges}).
 * Unknown users are cached too, as {@link CachedUser#MISSING}. Thread-safe; lookups never block.
 */
@ApplicationScoped
public class StateCache {

    private final AsyncLoadingCache<UserKey, CachedUser> cache;

    public StateCache(StateRepository repository, StateConfig config, StateChanges changes, MeterRegistry registry) {
        Executor direct = Runnable::run; // completions arrive on event loops; no hop to a worker pool
        this.cache = Caffeine.newBuilder()
                .maximumWeight(config.maxBytes())
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

    /** After this replica committed new states: the answers are replaced at once. */
    public void committed(Map<UserKey, ConsentState> states) {
        states.forEach(
                (k, s) -> cache.put(k, CompletableFuture.completedFuture(UserJson.cached(k.organizationId(), s))));
    }

    public void invalidate(UserKey key) {
        cache.synchronous().invalidate(key);
    }

    /** Another replica changed these users, each to the revision given ({@link StateChanges#GONE}: erased). */
    void invalidated(Map<UserKey, Long> revisions) {
        cache.synchronous().invalidateAll(revisions.keySet());
    }

    private static CachedUser entry(UserKey key, ConsentState state) {
        return state == null ? CachedUser.MISSING : UserJson.cached(key.organizationId(), state);
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
