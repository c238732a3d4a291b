package io.consentvault.state.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.event.BoundedKey;
import io.consentvault.core.event.UserKey;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.state.cache.CachedUser;
import io.consentvault.state.cache.StateCache;
import io.consentvault.tenancy.auth.Caller;
import io.consentvault.tenancy.auth.OrganizationCheck;
import io.consentvault.tenancy.auth.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * The bulk lookup from the hot cache, {@code POST /v1/consents/users/lookup}, beside the two single-user reads of
 * {@link LatestStateRoutes}. (A user's history and erasure are their features' routes.) Maps HTTP only; runs on the
 * event loop.
 */
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
@APIResponse(responseCode = "403", description = "The key lacks the scope, or names another organization")
@APIResponse(responseCode = "429", description = "The key is over its rate (Retry-After, RateLimit)")
@Path("/v1/consents/users")
@Tag(name = "Latest state")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    static final int MAX_LOOKUP = 1000;
    private static final byte[] USERS_OPEN = "{\"users\":{".getBytes(StandardCharsets.UTF_8);
    private static final byte[] USERS_CLOSE = "}}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

    private final StateCache cache;
    private final ObjectMapper mapper;
    private final Caller caller;
    private final Timer lookupTimer;

    public UserResource(StateCache cache, ObjectMapper mapper, MeterRegistry registry, Caller caller) {
        this.caller = caller;
        this.cache = cache;
        this.mapper = mapper;
        this.lookupTimer = timer(registry, "bulk");
    }

    /** The body of a bulk lookup. */
    @RegisterForReflection
    public record LookupRequest(String organizationId, List<String> userIds) {
    }

    @POST
    @Scope(Scope.CONSENTS_READ)
    @Path("/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The latest consent of up to 1000 users at once (null for unknown users)")
    @APIResponse(responseCode = "200", description = "{users: {id: user object or null}}")
    @APIResponse(responseCode = "400", description = "user_ids missing, not strings, or more than 1000")
    public Uni<Response> lookup(LookupRequest request, @QueryParam("organization_id") String organizationId) {
        if (request == null || request.userIds() == null) {
            throw ProblemException.invalid(List.of(FieldError.at("/user_ids", "is required")));
        }
        if (request.userIds().size() > MAX_LOOKUP) {
            throw ProblemException.invalid(List.of(FieldError.at("/user_ids", "at most " + MAX_LOOKUP + " users")));
        }
        OrganizationCheck.body(caller.organizationId(), request.organizationId(), "/organization_id");
        String org = caller.organization(organizationId);
        List<UserKey> keys = new ArrayList<>();
        Map<String, UserKey> byId = new LinkedHashMap<>();
        for (int i = 0; i < request.userIds().size(); i++) {
            String id = request.userIds().get(i);
            if (id == null) {
                throw ProblemException.invalid(List.of(FieldError.at("/user_ids/" + i, "must be a string")));
            }
            UserKey key = key(org, id);
            byId.put(id, key);
            keys.add(key);
        }
        long start = System.nanoTime();
        return Uni.createFrom().completionStage(cache.getAll(keys)).map(found -> {
            // the cached answers are bytes already: copied, never decoded and encoded again
            java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream(64 + found.size() * 512);
            json.writeBytes(USERS_OPEN);
            boolean first = true;
            for (Map.Entry<String, UserKey> e : byId.entrySet()) {
                if (!first) {
                    json.write(',');
                }
                first = false;
                CachedUser entry = found.get(e.getValue());
                json.writeBytes(quote(e.getKey()).getBytes(StandardCharsets.UTF_8));
                json.write(':');
                json.writeBytes(entry != null && entry.exists() ? entry.json() : NULL);
            }
            json.writeBytes(USERS_CLOSE);
            lookupTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            return Response.ok(json.toByteArray(), MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    private UserKey key(String organizationId, String userId) {
        return new UserKey(caller.organization(organizationId), BoundedKey.of(userId));
    }

    private String quote(String s) {
        try {
            return mapper.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Timer timer(MeterRegistry registry, String route) {
        return Timer.builder("consent.lookup").tag("route", route)
                .description("server time of lookups, from the request to the answer ready")
                .publishPercentiles(0.5, 0.99).register(registry);
    }
}
