package io.consentvault.analytics.rest;

import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.analytics.model.ConsentAnalytics;
import io.consentvault.analytics.model.ConsentQuery;
import io.consentvault.analytics.repository.ConsentCountRepository;
import io.consentvault.tenancy.auth.Caller;
import io.consentvault.tenancy.auth.Scope;
import io.smallrye.mutiny.Uni;

/** Consent analytics: an organization's banner and consent counts per UTC day or hour. Maps HTTP only. */
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
@APIResponse(responseCode = "403", description = "The key lacks vault:read, or names another organization")
@APIResponse(responseCode = "429", description = "The key is over its rate (Retry-After, RateLimit)")
@Path("/v1/analytics")
@Tag(name = "Consent analytics")
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {

    private final ConsentCountRepository counts;
    private final Caller caller;
    private final ObjectMapper mapper;

    public AnalyticsResource(ConsentCountRepository counts, Caller caller, ObjectMapper mapper) {
        this.counts = counts;
        this.caller = caller;
        this.mapper = mapper;
    }

    @GET
    @Scope(Scope.VAULT_READ)
    @Path("/consents")
    @Operation(summary = "Events, users, banner actions and each purpose's changes and opt-in rate, per UTC day or"
            + " hour", description = "Counts the organization's events whose created_at (else their receive time) is"
                    + " in [from, to). Buckets start on UTC day or hour boundaries whatever the offset of from and to;"
                    + " a first or last bucket that from or to cuts holds only the events inside the range. Every"
                    + " bucket of the range is in the answer, empty ones with zeros and a null opt_in_rate, and every"
                    + " bucket's purposes map has the same keys: the purposes asked for, or else every purpose with a"
                    + " granted, renewed, withdrawn or refused record in the range. events: stored events; users:"
                    + " distinct user ids with an event in the bucket; shown, agree_to_all, disagree_to_all,"
                    + " save_choices: items with the action preference.shown, preferences.click.agreetoall,"
                    + " preferences.click.disagreetoall, preferences.click.savechoices; per purpose the records by"
                    + " change (superseded and undecided records are not counted; consent and legitimate interest"
                    + " alike), and opt_in_rate = (granted + renewed) / (granted + renewed + withdrawn + refused), null"
                    + " when that is 0. Decisions that come only from a consent string are not records and are not"
                    + " counted.")
    @APIResponse(responseCode = "400", description = "from or to not an instant, interval not day or hour, from not"
            + " before to, more than 400 buckets, more than 100 purposes (errors name the parameter)")
    @APIResponse(responseCode = "503", description = "The counts took longer than the time limit (10 s): ask for a"
            + " shorter range; or the database cannot be reached (Retry-After)")
    @APIResponseSchema(value = ConsentAnalytics.class, responseCode = "200", responseDescription = "{interval,"
            + " buckets: [{start, events, users, shown, agree_to_all, disagree_to_all, save_choices, purposes:"
            + " {<purpose>: {granted, renewed, withdrawn, refused, opt_in_rate}}}]}")
    public Uni<Response> consents(
            @Parameter(description = "created_at from (inclusive): RFC 3339 with any offset (percent-encode + as %2B),"
                    + " or YYYY-MM-DD meaning 00:00Z. Default: the start of the bucket that makes the answer 30"
                    + " day buckets (interval=day) or 48 hour buckets (interval=hour) long") @QueryParam("from") String from,
            @Parameter(description = "created_at to (exclusive), as from. Default: the end of the current UTC day or"
                    + " hour (of from's, when from is later)") @QueryParam("to") String to,
            @Parameter(description = "day (default) or hour: buckets of UTC days or hours; at most 400 in the range") @QueryParam("interval") String interval,
            @Parameter(description = "a purpose id, exact; repeat for several (at most 100). Limits the purposes map"
                    + " to these purposes, each present in every bucket; the other counts are never limited by it") @QueryParam("purpose") List<String> purpose,
            @Parameter(description = "optional; must be the key's organization") @QueryParam("organization_id") String organizationId) {
        String org = caller.organization(organizationId);
        ConsentQuery query = ConsentQuery.of(org, from, to, interval, purpose, Instant.now());
        // written by the application's mapper: the generated serializers of REST answers leave out a null Double, and
        // opt_in_rate must be there as null
        return counts.counts(query).map(c -> {
            try {
                return Response.ok(mapper.writeValueAsBytes(ConsentAnalytics.of(query, c)), MediaType.APPLICATION_JSON)
                        .build();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
