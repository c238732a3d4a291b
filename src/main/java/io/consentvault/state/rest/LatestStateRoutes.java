package io.consentvault.state.rest;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.BoundedKey;
import io.consentvault.core.event.Formats;
import io.consentvault.core.event.UserKey;
import io.consentvault.platform.http.Negotiation;
import io.consentvault.platform.http.PathIds;
import io.consentvault.platform.http.ProblemMappers;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.state.StateReads;
import io.consentvault.state.cache.CachedUser;
import io.consentvault.state.cache.StateCache;
import io.consentvault.tenancy.auth.Authenticator;
import io.consentvault.tenancy.auth.KeyRegistry.KeyInfo;
import io.consentvault.tenancy.auth.OrganizationCheck;
import io.consentvault.tenancy.auth.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The two reads edge proxies make on every page view, {@code GET /v1/consents/users/{user_id}} (also {@code ?at=})
 * and {@code GET /v1/consents/users/{user_id}/purposes/{purpose_id}}, answered on the router, on the event loop. A
 * cache hit is a map lookup and bytes prepared at commit; the REST layer around it (request scope, filters, context
 * capture, writer selection) cost as much again, so these routes skip it, with the same authentication
 * ({@link Authenticator}), problem answers ({@link ProblemMappers#send}) and content negotiation ({@link Negotiation}).
 * {@code META-INF/openapi.yaml} describes them. The other user routes are {@link UserResource}'s.
 */
@ApplicationScoped
@Scope(Scope.CONSENTS_READ)
@RegisterForReflection
public class LatestStateRoutes {

    static final String USER = "/v1/consents/users/:user_id";
    static final String PURPOSE = "/v1/consents/users/:user_id/purposes/:purpose_id";

    private final Authenticator authenticator;
    private final String scope = Authenticator.scopeOf(LatestStateRoutes.class);
    private final StateCache cache;
    private final StateReads pastStates;
    private final ObjectMapper mapper;
    private final Timer userTimer;
    private final Timer decisionTimer;

    public LatestStateRoutes(Authenticator authenticator, StateCache cache, StateReads pastStates,
            ObjectMapper mapper, MeterRegistry registry, PathIds pathIds) {
        // ids such as ".." or "" are routed as sent (also for the erasure route, DELETE on the same path)
        pathIds.template("/v1/consents/users/{user_id}");
        pathIds.template("/v1/consents/users/{user_id}/purposes/{purpose_id}");
        this.authenticator = authenticator;
        this.cache = cache;
        this.pastStates = pastStates;
        this.mapper = mapper;
        this.userTimer = UserResource.timer(registry, "user");
        this.decisionTimer = UserResource.timer(registry, "decision");
    }

    /** A purpose decision: true, false, or null when none is known. */
    @RegisterForReflection
    public record PurposeDecision(String userId, String purpose, Boolean enabled, Boolean enabledLi,
            Instant updatedAt) {
    }

    void register(@Observes Router router) {
        // after CORS preflights (order -90), before the REST layer
        router.route(USER).order(-10).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(rc -> guard(rc, this::user));
        router.route(PURPOSE).order(-10).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(rc -> guard(rc, this::purpose));
        router.route(PURPOSE).order(-9).handler(rc -> ProblemMappers.notAllowed(rc, "GET, HEAD, OPTIONS", mapper));
    }

    private void user(RoutingContext rc, UserKey key) {
        HttpServerRequest request = rc.request();
        String ifNoneMatch = request.getHeader("If-None-Match");
        String at = query(request, "at");
        if (at != null) {
            Instant instant = Formats.parseDateTime(at);
            if (instant == null) {
                throw ProblemException.invalid(List.of(FieldError.query("at", "must be an RFC 3339 date-time")));
            }
            whenLoaded(rc, pastStates.at(key, instant), answer -> {
                if (answer == null) {
                    throw ProblemException.notFound("no consent known for this user at that instant");
                }
                send(rc.response(), answer.json(), answer.etag(), ifNoneMatch);
            });
            return;
        }
        long start = System.nanoTime();
        whenLoaded(rc, cache.get(key), entry -> {
            send(rc.response(), entry, ifNoneMatch);
            userTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
    }

    private void purpose(RoutingContext rc, UserKey key) {
        String userId = PathIds.get(rc, "user_id", rc.pathParam("user_id"));
        String purposeId = PathIds.get(rc, "purpose_id", rc.pathParam("purpose_id"));
        long start = System.nanoTime();
        whenLoaded(rc, cache.get(key), entry -> {
            ConsentState.Decision d = entry.exists()
                    ? entry.state().purposes().getOrDefault(purposeId, ConsentState.Decision.NONE)
                    : ConsentState.Decision.NONE;
            byte[] json = json(new PurposeDecision(userId, purposeId, d.consent().value(),
                    d.legitimateInterest().value(), d.updatedAt()));
            rc.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(json));
            decisionTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
    }

    /** Negotiation, then the key, then the user it may read; every failure answered as a problem. */
    private void guard(RoutingContext rc, BiConsumer<RoutingContext, UserKey> route) {
        HttpServerRequest request = rc.request();
        try {
            Negotiation.requireJsonAnswer(request.getHeader("Accept"));
            KeyInfo key = authenticator.key(request, scope);
            String organization = OrganizationCheck.query(key.organizationId(), query(request, "organization_id"));
            route.accept(rc,
                    new UserKey(organization,
                            BoundedKey.of(PathIds.get(rc, "user_id", rc.pathParam("user_id")))));
        } catch (RuntimeException e) {
            ProblemMappers.send(rc.response(), e, mapper);
        }
    }

    /** Answers at once when the value is in memory; else when it arrives (503 when the database is away). */
    private <T> void whenLoaded(RoutingContext rc, CompletableFuture<T> value, java.util.function.Consumer<T> answer) {
        if (value.isDone() && !value.isCompletedExceptionally()) {
            answer.accept(value.join());
            return;
        }
        value.whenComplete((v, failure) -> {
            try {
                if (failure != null) {
                    ProblemMappers.send(rc.response(), failure, mapper);
                    return;
                }
                answer.accept(v);
            } catch (RuntimeException e) {
                ProblemMappers.send(rc.response(), e, mapper);
            }
        });
    }

    private static void send(HttpServerResponse response, CachedUser entry, String ifNoneMatch) {
        if (!entry.exists()) {
            throw ProblemException.notFound("no consent known for this user");
        }
        send(response, entry.json(), entry.etag(), ifNoneMatch);
    }

    private static void send(HttpServerResponse response, byte[] json, String etag, String ifNoneMatch) {
        response.putHeader("ETag", etag);
        if (ifNoneMatch != null && (ifNoneMatch.equals(etag) || ifNoneMatch.equals("W/" + etag)
                || ifNoneMatch.trim().equals("*") || ifNoneMatch.contains(etag))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", "application/json").putHeader("Cache-Control", "private, no-cache")
                .end(Buffer.buffer(json));
    }

    private static String query(HttpServerRequest request, String name) {
        return request.query() == null ? null : request.getParam(name);
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
