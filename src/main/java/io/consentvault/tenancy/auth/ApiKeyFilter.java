package io.consentvault.tenancy.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.consentvault.platform.problem.Problem;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.tenancy.Scope;
import io.consentvault.tenancy.TenancyConfig;
import io.vertx.core.http.HttpServerRequest;

/**
 * Authenticates every API request before its resource method runs: admin routes by {@code CONSENT_ADMIN_TOKEN},
 * everything under {@code /v1/consents} by an API key from memory ({@link KeyRegistry}), checked in constant time, then
 * its scope ({@link Scope} on the method), its rate limit, and its organization's allowed origins. 401 without a valid
 * key, 403 without the scope or from an origin the organization does not allow, 429 over the rate.
 */
public class ApiKeyFilter {

    private static final String BEARER = "Bearer ";

    private final KeyRegistry registry;
    private final Caller caller;
    private final TenancyConfig config;
    private final Optional<String> adminToken;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public ApiKeyFilter(KeyRegistry registry, Caller caller, TenancyConfig config,
            @ConfigProperty(name = "consent.admin-token") Optional<String> adminToken) {
        this.registry = registry;
        this.caller = caller;
        this.config = config;
        this.adminToken = adminToken.filter(t -> !t.isBlank());
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext context, ResourceInfo resource, HttpServerRequest request) {
        String path = context.getUriInfo().getPath();
        if (path.startsWith("/v1/admin")) {
            String token = bearer(context);
            if (adminToken.isEmpty() || token == null || !ApiKeys.sameToken(token, adminToken.get())) {
                throw unauthenticated(adminToken.isEmpty()
                        ? "the admin routes are disabled (no CONSENT_ADMIN_TOKEN)"
                        : "a valid admin token is required");
            }
            return;
        }
        if (!path.startsWith("/v1/consents")) {
            return;
        }
        String presented = bearer(context);
        if (presented == null) {
            throw unauthenticated("an API key is required: Authorization: Bearer cv_live_...");
        }
        String[] parts = ApiKeys.parse(presented);
        KeyRegistry.KeyInfo key = parts == null ? null : registry.key(parts[0]);
        if (key == null || !ApiKeys.matches(parts[1], key.secretHash())) {
            throw unauthenticated("unknown or revoked API key");
        }
        Scope scope = resource.getResourceMethod() == null
                ? null
                : resource.getResourceMethod().getAnnotation(Scope.class);
        if (scope == null || !key.scopes().contains(scope.value())) {
            throw new ProblemException(Problem.of(403, "Forbidden", "this key lacks the scope "
                    + (scope == null ? "for this route" : scope.value())));
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            java.util.Set<String> allowed = registry.allowedOrigins(key.organizationId());
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
        caller.set(key.organizationId(), key.id());
    }

    private static String bearer(ContainerRequestContext context) {
        String header = context.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = header.substring(BEARER.length()).trim();
        return token.isEmpty() ? null : token;
    }

    private static ProblemException unauthenticated(String detail) {
        return new ProblemException(Problem.of(401, "Unauthenticated", detail), Map.of("WWW-Authenticate", "Bearer"));
    }

    /** A token bucket; synchronized, never held for more than a few instructions. */
    static final class TokenBucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(int perSecond, int burst) {
            this.perNano = perSecond / 1e9;
            this.capacity = Math.max(1, burst);
            this.tokens = capacity;
        }

        synchronized boolean take() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
