package io.consentvault.privacy.rest;

import jakarta.ws.rs.DELETE;
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
import io.consentvault.core.event.UserKey;
import io.consentvault.platform.http.PathIds;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.privacy.ErasureService;
import io.consentvault.tenancy.auth.Caller;
import io.consentvault.tenancy.auth.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** Erasure of a user, {@code DELETE /v1/consents/users/{user_id}}. Maps HTTP only; runs on the event loop. */
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
@APIResponse(responseCode = "403", description = "The key lacks the scope, or names another organization")
@APIResponse(responseCode = "429", description = "The key is over its rate (Retry-After, RateLimit)")
@Path("/v1/consents/users")
@Tag(name = "Latest state")
@Produces(MediaType.APPLICATION_JSON)
public class ErasureResource {

    private final ErasureService erasures;
    private final Caller caller;

    public ErasureResource(ErasureService erasures, Caller caller) {
        this.erasures = erasures;
        this.caller = caller;
    }

    @DELETE
    @Scope(Scope.CONSENTS_ERASE)
    @Path("/{user_id}")
    @Operation(summary = "Erase a user: state and events removed from every read, cache and later export")
    @APIResponse(responseCode = "200", description = "Erased; the receipt holds no personal data")
    @APIResponse(responseCode = "404", description = "Nothing stored for this user")
    public Uni<ErasureService.Erasure> erase(@PathParam("user_id") String userId,
            @QueryParam("organization_id") String organizationId, @Context RoutingContext rc) {
        UserKey user = new UserKey(caller.organization(organizationId),
                BoundedKey.of(PathIds.get(rc, "user_id", userId)));
        return erasures.erase(user).map(done -> done
                .orElseThrow(() -> ProblemException.notFound("nothing is stored for this user")));
    }
}
