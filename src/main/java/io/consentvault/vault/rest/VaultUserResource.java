package io.consentvault.vault.rest;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.consentvault.core.event.BoundedKey;
import io.consentvault.core.event.Formats;
import io.consentvault.core.event.UserKey;
import io.consentvault.platform.http.PathIds;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.state.StateReads;
import io.consentvault.tenancy.auth.Caller;
import io.consentvault.tenancy.auth.Scope;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * A user's state as it was at an instant, for the vault's readers (the console's timeline): the same answer as
 * {@code GET /v1/consents/users/{user_id}?at=}, from the same code ({@link StateReads}), under the scope
 * {@code vault:read}, so an auditor's key need not read the edge routes. Maps HTTP only; runs on the event loop.
 */
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
@APIResponse(responseCode = "403", description = "The key lacks vault:read, or names another organization")
@APIResponse(responseCode = "429", description = "The key is over its rate (Retry-After, RateLimit)")
@Path("/v1/vault/users")
@Startup // made at start, so that its path template is known before the first request is routed
@Tag(name = "Consent vault")
@Produces(MediaType.APPLICATION_JSON)
public class VaultUserResource {

    private final StateReads states;
    private final Caller caller;

    public VaultUserResource(StateReads states, Caller caller, PathIds pathIds) {
        // ids such as ".." or "" are read as sent, as on the latest-state routes
        pathIds.template("/v1/vault/users/{user_id}/state");
        this.states = states;
        this.caller = caller;
    }

    @GET
    @Scope(Scope.VAULT_READ)
    @Path("/{user_id}/state")
    @Operation(summary = "The user's consent as it was at an instant: the body of GET /v1/consents/users/{user_id}?at=")
    @APIResponse(responseCode = "200", description = "The user object of the batch export, with an ETag")
    @APIResponse(responseCode = "304", description = "If-None-Match matched")
    @APIResponse(responseCode = "400", description = "at missing, or not an RFC 3339 date-time")
    @APIResponse(responseCode = "404", description = "No event of this user by that instant (or another organization's)")
    public Uni<Response> state(
            @Parameter(description = "Any user id, percent-encoded as one path segment") @PathParam("user_id") String userId,
            @Parameter(description = "An RFC 3339 instant, any offset", required = true) @QueryParam("at") String at,
            @QueryParam("organization_id") String organizationId, @HeaderParam("If-None-Match") String ifNoneMatch,
            @Context RoutingContext rc) {
        String org = caller.organization(organizationId);
        if (at == null) {
            throw invalid("is required: the instant whose state is wanted");
        }
        Instant instant = Formats.parseDateTime(at);
        if (instant == null) {
            throw invalid("must be an RFC 3339 date-time");
        }
        UserKey user = new UserKey(org, BoundedKey.of(PathIds.get(rc, "user_id", userId)));
        return Uni.createFrom().completionStage(states.at(user, instant)).map(answer -> {
            if (answer == null) {
                throw ProblemException.notFound("no consent known for this user at that instant");
            }
            if (ifNoneMatch != null && (ifNoneMatch.contains(answer.etag()) || ifNoneMatch.trim().equals("*"))) {
                return Response.notModified().header("ETag", answer.etag()).build();
            }
            return Response.ok(answer.json(), MediaType.APPLICATION_JSON_TYPE).header("ETag", answer.etag())
                    .header("Cache-Control", "private, no-cache").build();
        });
    }

    private static ProblemException invalid(String message) {
        return ProblemException.invalid(List.of(FieldError.query("at", message)));
    }
}
