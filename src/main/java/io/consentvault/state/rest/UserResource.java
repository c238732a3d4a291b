package io.consentvault.state.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.ingest.model.BoundedKey;
import io.consentvault.ingest.repository.EventReadRepository;
import io.consentvault.ingest.repository.EventReadRepository.Position;
import io.consentvault.ingest.repository.StoredEvent;
import io.consentvault.platform.http.PathIds;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.privacy.ErasureService;
import io.consentvault.state.cache.CachedUser;
import io.consentvault.state.cache.StateCache;
import io.consentvault.state.repository.StateWriter.UserKey;
import io.consentvault.tcf.ConsentStrings;
import io.consentvault.tenancy.Scope;
import io.consentvault.tenancy.auth.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The user routes besides the two single-user reads ({@link LatestStateRoutes}): the bulk lookup from the hot cache,
 * the user's history, and erasure. Maps HTTP only; runs on the event loop.
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
    static final int MAX_PAGE = 1000;
    private static final byte[] USERS_OPEN = "{\"users\":{".getBytes(StandardCharsets.UTF_8);
    private static final byte[] USERS_CLOSE = "}}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

    private final StateCache cache;
    private final EventReadRepository events;
    private final ObjectMapper mapper;
    private final Caller caller;
    private final ErasureService erasures;
    private final ConsentStrings strings;
    private final Timer lookupTimer;

    public UserResource(StateCache cache, EventReadRepository events, ObjectMapper mapper,
            MeterRegistry registry, Caller caller, ErasureService erasures, ConsentStrings strings) {
        this.caller = caller;
        this.strings = strings;
        this.erasures = erasures;
        this.cache = cache;
        this.events = events;
        this.mapper = mapper;
        this.lookupTimer = timer(registry, "bulk");
    }

    /** The body of a bulk lookup. */
    @RegisterForReflection
    public record LookupRequest(String organizationId, List<String> userIds) {
    }

    /** One page of history. */
    @RegisterForReflection
    public record HistoryPage(List<io.consentvault.ingest.rest.EventView> events, String nextCursor) {
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
        if (request.organizationId() != null && !request.organizationId().equals(caller.organizationId())) {
            throw Caller
                    .forbiddenOrganization(FieldError.at("/organization_id", "is not the organization of this key"));
        }
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

    @GET
    @Scope(Scope.CONSENTS_READ)
    @Path("/{user_id}/events")
    @Operation(summary = "The user's events, newest first, a page at a time")
    @APIResponse(responseCode = "200", description = "{events, next_cursor}")
    @APIResponse(responseCode = "400", description = "limit out of 1..1000, or a cursor this service did not give")
    public Uni<HistoryPage> history(@PathParam("user_id") String userId,
            @QueryParam("organization_id") String organizationId, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor, @Context RoutingContext rc) {
        UserKey key = key(organizationId, PathIds.get(rc, "user_id", userId));
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ProblemException.invalid(List.of(FieldError.query("limit", "must be 1 to " + MAX_PAGE)));
        }
        Position before = cursor == null ? null : decode(cursor);
        return events.history(key.organizationId(), key.userKey(), before, size + 1).map(rows -> {
            List<io.consentvault.ingest.rest.EventView> page = new ArrayList<>();
            for (int i = 0; i < Math.min(size, rows.size()); i++) {
                page.add(io.consentvault.ingest.rest.EventView.of(rows.get(i), mapper, strings));
            }
            String next = null;
            if (rows.size() > size) {
                StoredEvent last = rows.get(size - 1);
                next = encode(new Position(last.receivedAt(), last.eventKey()));
            }
            return new HistoryPage(page, next);
        });
    }

    @DELETE
    @Scope(Scope.CONSENTS_ERASE)
    @Path("/{user_id}")
    @Operation(summary = "Erase a user: state and events removed from every read, cache and later export")
    @APIResponse(responseCode = "200", description = "Erased; the receipt holds no personal data")
    @APIResponse(responseCode = "404", description = "Nothing stored for this user")
    public Uni<ErasureService.Erasure> erase(@PathParam("user_id") String userId,
            @QueryParam("organization_id") String organizationId, @Context RoutingContext rc) {
        return erasures.erase(key(organizationId, PathIds.get(rc, "user_id", userId))).map(done -> done
                .orElseThrow(() -> ProblemException.notFound("nothing is stored for this user")));
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

    static String encode(Position p) {
        String raw = p.receivedAt().toString() + "|" + p.eventKey();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Position decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            if (raw.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("not a key this service wrote");
            }
            return new Position(Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1));
        } catch (RuntimeException e) {
            throw ProblemException.invalid(List.of(FieldError.query("cursor", "is not a cursor this service gave")));
        }
    }

    static Timer timer(MeterRegistry registry, String route) {
        return Timer.builder("consent.lookup").tag("route", route)
                .description("server time of lookups, from the request to the answer ready")
                .publishPercentiles(0.5, 0.99).register(registry);
    }
}
