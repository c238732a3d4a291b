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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.ingest.model.BoundedKey;
import io.consentvault.ingest.model.Formats;
import io.consentvault.ingest.repository.EventReadRepository;
import io.consentvault.ingest.repository.EventReadRepository.Position;
import io.consentvault.ingest.repository.StoredEvent;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.privacy.ErasureService;
import io.consentvault.state.cache.CachedUser;
import io.consentvault.state.cache.StateCache;
import io.consentvault.state.cache.UserJson;
import io.consentvault.state.model.ConsentState;
import io.consentvault.state.repository.StateRepository;
import io.consentvault.state.repository.StateWriter.UserKey;
import io.consentvault.tcf.ConsentStrings;
import io.consentvault.tenancy.Scope;
import io.consentvault.tenancy.auth.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * Latest consent per user, for edge proxies: answered from the hot cache, as prepared bytes with an ETag. Also the
 * state at an instant and the user's history. Maps HTTP only; runs on the event loop.
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
    private final StateRepository states;
    private final EventReadRepository events;
    private final ObjectMapper mapper;
    private final Caller caller;
    private final ErasureService erasures;
    private final ConsentStrings strings;
    private final Timer userTimer;
    private final Timer decisionTimer;
    private final Timer lookupTimer;

    public UserResource(StateCache cache, StateRepository states, EventReadRepository events, ObjectMapper mapper,
            MeterRegistry registry, Caller caller, ErasureService erasures, ConsentStrings strings) {
        this.caller = caller;
        this.strings = strings;
        this.erasures = erasures;
        this.cache = cache;
        this.states = states;
        this.events = events;
        this.mapper = mapper;
        this.userTimer = timer(registry, "user");
        this.decisionTimer = timer(registry, "decision");
        this.lookupTimer = timer(registry, "bulk");
    }

    /** A purpose decision: true, false, or null when none is known. */
    @RegisterForReflection
    public record PurposeDecision(String userId, String purpose, Boolean enabled, Boolean enabledLi,
            Instant updatedAt) {
    }

    /** The body of a bulk lookup. */
    @RegisterForReflection
    public record LookupRequest(String organizationId, List<String> userIds) {
    }

    /** One page of history. */
    @RegisterForReflection
    public record HistoryPage(List<io.consentvault.ingest.rest.EventView> events, String nextCursor) {
    }

    @GET
    @Scope(Scope.CONSENTS_READ)
    @Path("/{user_id}")
    @Operation(summary = "The latest consent of a user (or at an instant, with ?at=)")
    @APIResponse(responseCode = "200", description = "The user object of the batch export, with an ETag")
    @APIResponse(responseCode = "304", description = "If-None-Match matched")
    @APIResponse(responseCode = "404", description = "Unknown user")
    public Uni<RestResponse<byte[]>> user(@PathParam("user_id") String userId,
            @QueryParam("organization_id") String organizationId, @QueryParam("at") String at,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        UserKey key = key(organizationId, userId);
        if (at != null) {
            Instant instant = Formats.parseDateTime(at);
            if (instant == null) {
                throw ProblemException.invalid(List.of(FieldError.query("at", "must be an RFC 3339 date-time")));
            }
            return Uni.createFrom().completionStage(states.stateAt(key.organizationId(), key.userKey(), instant))
                    .map(state -> {
                        if (state == null) {
                            throw ProblemException.notFound("no consent known for this user at that instant");
                        }
                        return answer(UserJson.cached(key.organizationId(), state), ifNoneMatch);
                    });
        }
        long start = System.nanoTime();
        return whenLoaded(cache.get(key), entry -> {
            RestResponse<byte[]> response = answer(entry, ifNoneMatch);
            userTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            return response;
        });
    }

    @GET
    @Scope(Scope.CONSENTS_READ)
    @Path("/{user_id}/purposes/{purpose_id}")
    @Operation(summary = "May this purpose be used for this user? true, false, or null when no decision is known")
    @APIResponse(responseCode = "200", description = "{user_id, purpose, enabled, enabled_li, updated_at}")
    public Uni<PurposeDecision> purpose(@PathParam("user_id") String userId,
            @PathParam("purpose_id") String purposeId, @QueryParam("organization_id") String organizationId) {
        UserKey key = key(organizationId, userId);
        long start = System.nanoTime();
        return whenLoaded(cache.get(key), entry -> {
            ConsentState.Decision d = entry.exists()
                    ? entry.state().purposes().getOrDefault(purposeId, ConsentState.Decision.NONE)
                    : ConsentState.Decision.NONE;
            decisionTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            return new PurposeDecision(userId, purposeId, d.consent().value(), d.legitimateInterest().value(),
                    d.updatedAt());
        });
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
            @QueryParam("cursor") String cursor) {
        UserKey key = key(organizationId, userId);
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
            @QueryParam("organization_id") String organizationId) {
        return erasures.erase(key(organizationId, userId)).map(done -> done
                .orElseThrow(() -> ProblemException.notFound("nothing is stored for this user")));
    }

    private static RestResponse<byte[]> answer(CachedUser entry, String ifNoneMatch) {
        if (!entry.exists()) {
            throw ProblemException.notFound("no consent known for this user");
        }
        if (ifNoneMatch != null && (ifNoneMatch.equals(entry.etag()) || ifNoneMatch.equals("W/" + entry.etag())
                || ifNoneMatch.trim().equals("*") || ifNoneMatch.contains(entry.etag()))) {
            return RestResponse.ResponseBuilder.<byte[]>create(RestResponse.Status.NOT_MODIFIED)
                    .header(HttpHeaders.ETAG, entry.etag()).build();
        }
        return RestResponse.ResponseBuilder.ok(entry.json(), MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, entry.etag()).header(HttpHeaders.CACHE_CONTROL, "private, no-cache").build();
    }

    /**
     * The answer built from a cache entry: at once when the entry is in memory (no asynchronous hop, nothing captured
     * for later), else when it has loaded.
     */
    private static <T> Uni<T> whenLoaded(java.util.concurrent.CompletableFuture<CachedUser> entry,
            java.util.function.Function<CachedUser, T> answer) {
        if (entry.isDone() && !entry.isCompletedExceptionally()) {
            return Uni.createFrom().item(() -> answer.apply(entry.join()));
        }
        return Uni.createFrom().completionStage(entry).map(answer);
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
            return new Position(Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1));
        } catch (RuntimeException e) {
            throw ProblemException.invalid(List.of(FieldError.query("cursor", "is not a cursor this service gave")));
        }
    }

    private static Timer timer(MeterRegistry registry, String route) {
        return Timer.builder("consent.lookup").tag("route", route)
                .description("server time of lookups, from the request to the answer ready")
                .publishPercentiles(0.5, 0.99).register(registry);
    }
}
