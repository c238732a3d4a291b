package io.consentvault.ingest.rest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.ingest.batch.IngestResult;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.ingest.repository.EventReadRepository;
import io.consentvault.ingest.service.BatchOutcome;
import io.consentvault.ingest.service.IngestService;
import io.consentvault.platform.http.ClientAddress;
import io.consentvault.platform.json.JsonInput;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.tcf.ConsentStrings;
import io.consentvault.tenancy.Scope;
import io.consentvault.tenancy.auth.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Consent events in: one, or a batch; and one stored event out. Maps HTTP only; the service decides. */
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
    private final ObjectMapper mapper;
    private final Caller caller;
    private final ConsentStrings strings;

    public EventResource(IngestService service, EventReadRepository events, ClientAddress clientAddress,
            ObjectMapper mapper, Caller caller, ConsentStrings strings) {
        this.caller = caller;
        this.strings = strings;
        this.service = service;
        this.events = events;
        this.clientAddress = clientAddress;
        this.mapper = mapper;
    }

    /** The answer to an accepted event. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Accepted(String id, Instant receivedAt) {
    }

    @POST
    @Scope(Scope.EVENTS_WRITE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record one consent event", description = "Answers once the event is committed.")
    @RequestBody(description = "One event, as in the consent event schema")
    @APIResponse(responseCode = "201", description = "Stored")
    @APIResponse(responseCode = "200", description = "A retry of an event already stored (Idempotent-Replayed: true)")
    @APIResponse(responseCode = "400", description = "Invalid event (problem+json naming each field)")
    @APIResponse(responseCode = "413", description = "Body over the limit")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "503", description = "Cannot take more now; nothing stored (Retry-After)")
    public Uni<Response> post(byte[] body, @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam(HttpHeaders.USER_AGENT) String userAgent, HttpServerRequest request) {
        RequestContext context = context(request, userAgent, idempotencyKey);
        return service.ingestOne(body, context, caller.organizationId()).map(EventResource::answer);
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
        RequestContext context = context(request, userAgent, idempotencyKey);
        List<JsonInput.Element> elements = contentType != null && contentType.toLowerCase().startsWith(NDJSON)
                ? JsonInput.readLines(body)
                : JsonInput.readArray(body);
        return service.ingestBatch(elements, context, caller.organizationId());
    }

    @GET
    @Scope(Scope.CONSENTS_READ)
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One stored event with its proof fields")
    @APIResponse(responseCode = "200", description = "The event in the export's events layout, with its proof")
    @APIResponse(responseCode = "404", description = "Unknown event")
    public Uni<EventView> get(@PathParam("id") String id, @QueryParam("organization_id") String organizationId) {
        return events.find(Optional.of(caller.organization(organizationId)), id).map(found -> found
                .map(e -> EventView.of(e, mapper, strings))
                .orElseThrow(() -> ProblemException.notFound("no event with this id")));
    }

    private RequestContext context(HttpServerRequest request, String userAgent, String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ProblemException.invalid(List.of(FieldError.header("Idempotency-Key",
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters")));
        }
        return new RequestContext(IngestService.now(), clientAddress.stored(request), userAgent, idempotencyKey);
    }

    private static Response answer(IngestResult result) {
        Accepted body = new Accepted(result.id(), result.receivedAt());
        if (result.replayed()) {
            return Response.ok(body).header("Idempotent-Replayed", "true").build();
        }
        // relative, as the contract shows it (Response.created would make it absolute)
        return Response.status(Response.Status.CREATED).header("Location", "/v1/consents/events/" + encode(result.id()))
                .entity(body).build();
    }

    private static String encode(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
