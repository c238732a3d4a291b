package io.consentvault.ingest.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.consentvault.core.event.BoundedKey;
import io.consentvault.core.event.StoredEvent;
import io.consentvault.core.tcf.ConsentStrings;
import io.consentvault.ingest.repository.EventReadRepository;
import io.consentvault.ingest.repository.EventReadRepository.Position;
import io.consentvault.platform.http.PathIds;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.tenancy.auth.Caller;
import io.consentvault.tenancy.auth.Scope;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** A user's history, {@code GET /v1/consents/users/{user_id}/events}. Maps HTTP only; runs on the event loop. */
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
@APIResponse(responseCode = "403", description = "The key lacks the scope, or names another organization")
@APIResponse(responseCode = "429", description = "The key is over its rate (Retry-After, RateLimit)")
@Path("/v1/consents/users")
@Tag(name = "Latest state")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    static final int MAX_PAGE = 1000;

    private final EventReadRepository events;
    private final Caller caller;
    private final ConsentStrings strings;

    public HistoryResource(EventReadRepository events, Caller caller, ConsentStrings strings) {
        this.events = events;
        this.caller = caller;
        this.strings = strings;
    }

    /** One page of history. */
    @RegisterForReflection
    public record HistoryPage(List<EventView> events, String nextCursor) {
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
        String org = caller.organization(organizationId);
        String userKey = BoundedKey.of(PathIds.get(rc, "user_id", userId));
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ProblemException.invalid(List.of(FieldError.query("limit", "must be 1 to " + MAX_PAGE)));
        }
        Position before = cursor == null ? null : decode(cursor);
        return events.history(org, userKey, before, size + 1).map(rows -> {
            List<EventView> page = new ArrayList<>();
            for (int i = 0; i < Math.min(size, rows.size()); i++) {
                page.add(EventView.of(rows.get(i), strings));
            }
            String next = null;
            if (rows.size() > size) {
                StoredEvent last = rows.get(size - 1);
                next = encode(new Position(last.receivedAt(), last.eventKey()));
            }
            return new HistoryPage(page, next);
        });
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
}
