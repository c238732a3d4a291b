package io.consentvault.ingest.rest;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.ingest.batch.IngestResult;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.ingest.service.IngestService;
import io.consentvault.platform.http.ClientAddress;
import io.consentvault.platform.http.ConnectionCountry;
import io.consentvault.platform.http.Negotiation;
import io.consentvault.platform.http.PathIds;
import io.consentvault.platform.http.ProblemMappers;
import io.consentvault.tenancy.auth.Authenticator;
import io.consentvault.tenancy.auth.KeyRegistry.KeyInfo;
import io.consentvault.tenancy.auth.Scope;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /v1/consents/events}, the route every SDK calls, answered on the router, on the event loop. The REST
 * layer around it (request scope, filters, context capture, a writer looked up per answer) cost about as much CPU as
 * parsing and checking the event, so this route skips it, with the same negotiation (415, 406), authentication
 * ({@link Authenticator}), limits and problem answers ({@link ProblemMappers#send}). The service decides
 * ({@link IngestService#ingestOne}); this maps HTTP. {@code META-INF/openapi.yaml} describes it; the batch and read
 * routes of events are {@link EventResource}'s.
 */
@ApplicationScoped
@Scope(Scope.EVENTS_WRITE)
@RegisterForReflection
public class EventPostRoute {

    static final String PATH = "/v1/consents/events";

    private final IngestService service;
    private final Authenticator authenticator;
    private final String scope = Authenticator.scopeOf(EventPostRoute.class);
    private final ClientAddress clientAddress;
    private final ConnectionCountry country;
    private final ObjectMapper mapper;
    private final long maxBody;

    public EventPostRoute(IngestService service, Authenticator authenticator, ClientAddress clientAddress,
            ConnectionCountry country, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody,
            PathIds pathIds) {
        // ids such as ".." are read as sent (EventResource#get, HistoryResource)
        pathIds.template(PATH + "/{id}");
        pathIds.template("/v1/consents/users/{user_id}/events");
        this.service = service;
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.country = country;
        this.mapper = mapper;
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        // after the announced-size check (order -100) and CORS preflights (-90), before the REST layer
        router.route(PATH).order(-10).method(HttpMethod.POST)
                .handler(BodyHandler.create(false).setBodyLimit(maxBody)).handler(this::post);
        router.route(PATH).order(-9).handler(rc -> ProblemMappers.notAllowed(rc, "POST, OPTIONS", mapper));
    }

    private void post(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        try {
            Negotiation.requireJsonBody(request.getHeader("Content-Type"));
            Negotiation.requireJsonAnswer(request.getHeader("Accept"));
            KeyInfo key = authenticator.key(request, scope);
            RequestContext context = EventResource.context(clientAddress, country, request,
                    request.getHeader("User-Agent"),
                    request.getHeader("Idempotency-Key"), key.id());
            Buffer body = rc.body().buffer();
            service.ingestOne(body == null ? new byte[0] : body.getBytes(), context, key.organizationId())
                    .subscribe().with(result -> answer(rc, result),
                            failure -> ProblemMappers.send(rc.response(), failure, mapper));
        } catch (RuntimeException e) {
            ProblemMappers.send(rc.response(), e, mapper);
        }
    }

    private static void answer(RoutingContext rc, IngestResult result) {
        // {"id": ..., "received_at": ...}: the id may be the client's own, so it is escaped; the time never needs it
        byte[] body = ("{\"id\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(result.id()))
                + "\",\"received_at\":\"" + result.receivedAt() + "\"}").getBytes(StandardCharsets.UTF_8);
        if (result.replayed()) {
            rc.response().putHeader("Idempotent-Replayed", "true");
        } else {
            // relative, as the contract shows it
            rc.response().setStatusCode(201).putHeader("Location", PATH + "/" + EventResource.encode(result.id()));
        }
        rc.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(body));
    }
}
