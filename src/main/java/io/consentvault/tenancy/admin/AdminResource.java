package io.consentvault.tenancy.admin;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.Problem;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.tenancy.auth.AdminToken;
import io.consentvault.tenancy.auth.ApiKeys;
import io.consentvault.tenancy.auth.KeyRegistry;
import io.consentvault.tenancy.auth.Scope;
import io.consentvault.tenancy.model.ApiKey;
import io.consentvault.tenancy.model.Organization;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * Organizations and their API keys, behind {@code CONSENT_ADMIN_TOKEN} (checked by the API key filter). A key is
 * shown once, at creation; the service keeps only the hash of its secret. Every change is announced so that every
 * replica's key registry reloads at once.
 */
@AdminToken
@Path("/v1/admin")
@Tag(name = "Admin")
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "An API key (cv_live_...) for /v1/consents, CONSENT_ADMIN_TOKEN for /v1/admin")
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing or wrong admin token")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    static final Pattern ORGANIZATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[a-z0-9.\\[\\]:-]{1,253}");

    private final KeyRegistry registry;

    public AdminResource(KeyRegistry registry) {
        this.registry = registry;
    }

    @RegisterForReflection
    public record NewOrganization(String id, String name, List<String> allowedOrigins) {
    }

    @RegisterForReflection
    public record OrganizationView(String id, String name, List<String> allowedOrigins, Instant createdAt) {
    }

    @RegisterForReflection
    public record NewKey(String name, List<String> scopes) {
    }

    @RegisterForReflection
    public record CreatedKey(String id, String key, List<String> scopes) {
    }

    @RegisterForReflection
    public record KeyView(String id, String name, List<String> scopes, Instant createdAt, Instant revokedAt) {
    }

    @POST
    @Path("/organizations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an organization")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid id, name or origins")
    @APIResponse(responseCode = "409", description = "An organization with this id exists")
    public Uni<Response> createOrganization(NewOrganization body) {
        if (body == null || body.id() == null || !ORGANIZATION_ID.matcher(body.id()).matches()) {
            throw ProblemException.invalid(List.of(FieldError.at("/id",
                    "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")));
        }
        if (body.name() == null || body.name().isBlank()) {
            throw ProblemException.invalid(List.of(FieldError.at("/name", "is required")));
        }
        Set<String> origins = origins(body.allowedOrigins());
        return Panache.withTransaction(() -> Organization.<Organization>findById(body.id()).chain(existing -> {
            if (existing != null) {
                throw new ProblemException(Problem.of(409, "Conflict", "an organization with this id exists"));
            }
            Organization org = new Organization();
            org.id = body.id();
            org.name = body.name();
            org.allowedOrigins = String.join(" ", origins);
            org.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            return org.persist().replaceWith(org);
        }).call(AdminResource::announce)).chain(this::reloaded)
                .map(org -> Response.status(201).entity(view(org)).build());
    }

    @POST
    @Path("/organizations/{org}/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an API key (shown once)")
    @APIResponse(responseCode = "201", description = "{id, key, scopes}; the key is never shown again")
    @APIResponse(responseCode = "400", description = "Missing name or unknown scope")
    @APIResponse(responseCode = "404", description = "Unknown organization")
    public Uni<Response> createKey(@PathParam("org") String organizationId, NewKey body) {
        if (body == null || body.name() == null || body.name().isBlank()) {
            throw ProblemException.invalid(List.of(FieldError.at("/name", "is required")));
        }
        if (body.scopes() == null || body.scopes().isEmpty()) {
            throw ProblemException.invalid(List.of(FieldError.at("/scopes", "at least one of " + Scope.ALL)));
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (int i = 0; i < body.scopes().size(); i++) {
            if (!Scope.ALL.contains(body.scopes().get(i))) {
                throw ProblemException.invalid(List.of(FieldError.at("/scopes/" + i, "must be one of " + Scope.ALL)));
            }
            scopes.add(body.scopes().get(i));
        }
        return Panache.withTransaction(() -> Organization.<Organization>findById(organizationId).chain(org -> {
            if (org == null) {
                throw ProblemException.notFound("no organization with this id");
            }
            ApiKeys.NewKey generated = ApiKeys.generate();
            ApiKey key = new ApiKey();
            key.id = generated.id();
            key.organizationId = org.id;
            key.name = body.name();
            key.secretHash = generated.secretHash();
            key.scopes = String.join(" ", scopes);
            key.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            return key.persist().replaceWith(new CreatedKey(generated.id(), generated.key(), List.copyOf(scopes)));
        }).call(AdminResource::announce)).chain(this::reloaded)
                .map(created -> Response.status(201).entity(created).build());
    }

    @GET
    @Path("/organizations/{org}/keys")
    @Operation(summary = "The organization's keys (never the keys themselves)")
    @APIResponse(responseCode = "200", description = "[{id, name, scopes, created_at}]")
    @APIResponse(responseCode = "404", description = "Unknown organization")
    @WithSession
    public Uni<List<KeyView>> keys(@PathParam("org") String organizationId) {
        return Organization.<Organization>findById(organizationId).chain(org -> {
            if (org == null) {
                throw ProblemException.notFound("no organization with this id");
            }
            return ApiKey.<ApiKey>list("organizationId = ?1 order by createdAt", organizationId);
        }).map(keys -> {
            List<KeyView> views = new ArrayList<>();
            keys.forEach(k -> views.add(new KeyView(k.id, k.name, Arrays.asList(k.scopes.split(" ")), k.createdAt,
                    k.revokedAt)));
            return views;
        });
    }

    @DELETE
    @Path("/keys/{id}")
    @Operation(summary = "Revoke a key, on every replica within a second")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "Unknown key")
    public Uni<Response> revoke(@PathParam("id") String id) {
        return Panache.withTransaction(() -> ApiKey.<ApiKey>findById(id).chain(key -> {
            if (key == null) {
                throw ProblemException.notFound("no key with this id");
            }
            if (key.revokedAt == null) {
                key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            }
            return Panache.flush().replaceWith(key);
        }).call(AdminResource::announce)).chain(this::reloaded).map(key -> Response.noContent().build());
    }

    /**
     * Origins as browsers send them (scheme and host in lower case), each once, in the order given; 400 naming the
     * first that is not an origin.
     */
    static Set<String> origins(List<String> given) {
        Set<String> origins = new LinkedHashSet<>();
        for (int i = 0; given != null && i < given.size(); i++) {
            String o = given.get(i) == null ? null : given.get(i).trim().toLowerCase(java.util.Locale.ROOT);
            if (o == null || !ORIGIN.matcher(o).matches()) {
                throw ProblemException.invalid(List.of(FieldError.at("/allowed_origins/" + i,
                        "must be an origin such as https://www.example.com")));
            }
            origins.add(o);
        }
        return origins;
    }

    /** Inside the transaction: every other replica reloads its keys when the change commits. */
    private static Uni<Void> announce(Object ignored) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT count(*) FROM (SELECT pg_notify('" + KeyRegistry.CHANNEL + "', '')) n")
                .getSingleResult()).replaceWithVoid();
    }

    /** After the commit: this replica's registry has the change before the answer goes out. */
    private <T> Uni<T> reloaded(T result) {
        return Uni.createFrom().completionStage(registry.reload().toCompletionStage()).replaceWith(result);
    }

    private static OrganizationView view(Organization org) {
        String origins = org.allowedOrigins == null ? "" : org.allowedOrigins.trim();
        return new OrganizationView(org.id, org.name, origins.isEmpty() ? List.of() : List.of(origins.split(" ")),
                org.createdAt);
    }
}
