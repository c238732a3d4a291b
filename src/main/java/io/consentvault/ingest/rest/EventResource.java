package io.consentvault.ingest.rest;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.consentvault.core.tcf.ConsentStrings;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.ingest.repository.EventReadRepository;
import io.consentvault.ingest.service.BatchOutcome;
import io.consentvault.ingest.service.IngestService;
import io.consentvault.platform.http.ClientAddress;
import io.consentvault.platform.http.ConnectionCountry;
import io.consentvault.platform.http.PathIds;
import io.consentvault.platform.json.JsonInput;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.tenancy.auth.Caller;
import io.consentvault.tenancy.auth.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Consent events in by the batch, and one stored event out (a single event comes in by {@link EventPostRoute}). Maps
 * HTTP only; the service decides.
 */
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
@APIResponse(responseCode = "403", description = "The key lacks the scope, or names another organization")
@APIResponse(responseCode = "429", description = "The key is over its rate (Retry-After, RateLimit)")
@Path("/v1/consents/events")
@Tag(name = "Ingest")
public class EventResource {

    static final String NDJSON = "application/x-ndjson";
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final IngestService service;
    private final EventReadRepository events;
    private final ClientAddress clientAddress;
    private final ConnectionCountry country;
    private final Caller caller;
    private final ConsentStrings strings;

    public EventResource(IngestService service, EventReadRepository events, ClientAddress clientAddress,
            ConnectionCountry country, Caller caller, ConsentStrings strings) {
        this.country = country;
        this.caller = caller;
        this.strings = strings;
        this.service = service;
        this.events = events;
        this.clientAddress = clientAddress;
    }

    @POST
    @Scope(Scope.EVENTS_WRITE)
    @Path("/batch")
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record up to 1000 consent events", description = "A JSON array, or one event a line"
            + " (application/x-ndjson). Valid events are stored, invalid ones reported by index.")
    @APIResponse(responseCode = "200", description = "Per-event results")
    public Uni<BatchOutcome> batch(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam(HttpHeaders.USER_AGENT) String userAgent, HttpServerRequest request) {
        RequestContext context = context(clientAddress, country, request, userAgent, idempotencyKey,
                caller.keyId());
        boolean lines = contentType != null && contentType.toLowerCase().startsWith(NDJSON);
        if (lines) {
            service.checkBatchSize(JsonInput.countLines(body));
        }
        List<JsonInput.Element> elements = lines ? JsonInput.readLines(body) : JsonInput.readArray(body);
        return service.ingestBatch(elements, context, caller.organizationId());
    }

    @GET
    @Scope(Scope.CONSENTS_READ)
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One stored event with its proof fields")
    @APIResponse(responseCode = "200", description = "The event in the export's events layout, with its proof")
    @APIResponse(responseCode = "404", description = "Unknown event")
    public Uni<EventView> get(@PathParam("id") String id, @QueryParam("organization_id") String organizationId,
            @Context RoutingContext rc) {
        return events.find(caller.organization(organizationId), PathIds.get(rc, "id", id)).map(found -> found
                .map(e -> EventView.of(e, strings))
                .orElseThrow(() -> ProblemException.notFound("no event with this id")));
    }

    /**
     * The request's receive time, client address, user agent, idempotency key (400 for a key out of bounds), the
     * key that sent it and the connection's country.
     */
    static RequestContext context(ClientAddress clientAddress, ConnectionCountry country, HttpServerRequest request,
            String userAgent, String idempotencyKey, String apiKeyId) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ProblemException.invalid(List.of(FieldError.header("Idempotency-Key",
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters")));
        }
        return new RequestContext(IngestService.now(), clientAddress.stored(request), userAgent, idempotencyKey,
                apiKeyId, country.of(request));
    }

    static String encode(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
