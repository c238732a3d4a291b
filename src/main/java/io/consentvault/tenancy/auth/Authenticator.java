package io.consentvault.tenancy.auth;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.consentvault.platform.problem.Problem;
import io.consentvault.platform.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who may call: an API key from memory ({@link KeyRegistry}), checked in constant time, then the route's scope, the
 * key's rate limit and its organization's allowed origins; or the admin token. Failures are problems: 401 without a
 * valid key, 403 without the scope or from an origin the organization does not allow, 429 over the rate. Called on the
 * event loop by {@link ApiKeyFilter} (REST routes) and by the routes that answer from the cache on the router itself.
 */
@ApplicationScoped
public class Authenticator {

    private static final String BEARER = "Bearer ";

    private final KeyRegistry registry;
    private final TenancyConfig config;
    private final Optional<String> adminToken;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public Authenticator(KeyRegistry registry, TenancyConfig config,
            @ConfigProperty(name = "consent.admin-token") Optional<String> adminToken) {
        this.registry = registry;
        this.config = config;
        this.adminToken = adminToken.filter(t -> !t.isBlank());
    }

    /** The scope a class of router routes declares with {@link Scope}. */
    public static String scopeOf(Class<?> routes) {
        Scope scope = routes.getAnnotation(Scope.class);
        if (scope == null) {
            throw new IllegalStateException(routes.getName() + " declares no @Scope");
        }
        return scope.value();
    }

    /** The key this request presents, allowed the scope (null: no route scope, always 403). */
    public KeyRegistry.KeyInfo key(HttpServerRequest request, String scope) {
        String presented = bearer(request);
        if (presented == null) {
            throw unauthenticated("an API key is required: Authorization: Bearer cv_live_...");
        }
        String[] parts = ApiKeys.parse(presented);
        KeyRegistry.KeyInfo key = parts == null ? null : registry.key(parts[0]);
        if (key == null || !ApiKeys.matches(parts[1], key.secretHash())) {
            throw unauthenticated("unknown or revoked API key");
        }
        if (scope == null || !key.scopes().contains(scope)) {
            throw new ProblemException(Problem.of(403, "Forbidden",
                    "this key lacks the scope " + (scope == null ? "for this route" : scope)));
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            Set<String> allowed = registry.allowedOrigins(key.organizationId());
            if (!allowed.isEmpty() && !allowed.contains(origin)) {
                throw new ProblemException(Problem.of(403, "Forbidden",
                        "this origin is not allowed for the organization of this key"));
            }
            Cors.allow(request.response(), origin);
        }
        TokenBucket bucket = buckets.computeIfAbsent(key.id(),
                id -> new TokenBucket(config.perSecond(), config.burst()));
        if (!bucket.take()) {
            throw new ProblemException(Problem.of(429, "Too many requests",
                    "this key is over its rate of " + config.perSecond() + " requests a second"),
                    Map.of("Retry-After", "1", "RateLimit-Policy", "\"key\";q=" + config.perSecond() + ";w=1",
                            "RateLimit", "\"key\";r=0;t=1"));
        }
        return key;
    }

    /** Admin routes: the request must present {@code CONSENT_ADMIN_TOKEN}. */
    public void admin(HttpServerRequest request) {
        String token = bearer(request);
        if (adminToken.isEmpty() || token == null || !ApiKeys.sameToken(token, adminToken.get())) {
            throw unauthenticated(adminToken.isEmpty()
                    ? "the admin routes are disabled (no CONSENT_ADMIN_TOKEN)"
                    : "a valid admin token is required");
        }
    }

    private static String bearer(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }

    private static ProblemException unauthenticated(String detail) {
        return new ProblemException(Problem.of(401, "Unauthenticated", detail), Map.of("WWW-Authenticate", "Bearer"));
    }

    /**
     * A token bucket kept as one number, the theoretical arrival time of the next request (GCRA): a request passes
     * when that time is at most {@code burst - 1} intervals ahead of now, and moves it one interval on. Lock-free: every
     * event loop takes from the same key's bucket on every request, and a contended monitor cost more than the check.
     */
    static final class TokenBucket {
        private final long interval;
        private final long tolerance;
        private final AtomicLong next;

        TokenBucket(int perSecond, int burst) {
            this.interval = 1_000_000_000L / Math.max(1, perSecond);
            this.tolerance = interval * (Math.max(1, burst) - 1L);
            this.next = new AtomicLong(System.nanoTime());
        }

        boolean take() {
            long now = System.nanoTime();
            while (true) {
                long at = next.get();
                if (at - now > tolerance) {
                    return false;
                }
                if (next.compareAndSet(at, Math.max(at, now) + interval)) {
                    return true;
                }
            }
        }
    }
}
