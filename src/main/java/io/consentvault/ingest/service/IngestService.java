package io.consentvault.ingest.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.consentvault.core.decision.ConsentRules;
import io.consentvault.core.event.ConsentEvent;
import io.consentvault.core.tcf.ConsentStringDecoder;
import io.consentvault.core.tcf.ConsentStrings;
import io.consentvault.ingest.IngestConfig;
import io.consentvault.ingest.batch.CommitOutcomeUnknownException;
import io.consentvault.ingest.batch.DatabaseUnavailableException;
import io.consentvault.ingest.batch.IngestResult;
import io.consentvault.ingest.batch.LaneFullException;
import io.consentvault.ingest.batch.Lanes;
import io.consentvault.ingest.model.EventNormalizer;
import io.consentvault.ingest.model.EventSchema;
import io.consentvault.ingest.model.RequestContext;
import io.consentvault.platform.json.JsonInput;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.tenancy.auth.OrganizationCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Decides what happens to incoming events: parse, validate against the event schema, normalise, hand to the lanes,
 * and translate the outcome (committed, replayed, refused). Called on the event loop by the ingest resource.
 */
@ApplicationScoped
public class IngestService {

    static final int MAX_ORGANIZATION_ID = 255;

    private final Lanes lanes;
    private final ConsentStrings strings;
    private final IngestConfig config;
    private final Counter accepted;
    private final Counter invalid;
    private final Counter unavailable;

    public IngestService(Lanes lanes, IngestConfig config, MeterRegistry registry, ConsentStrings strings) {
        this.lanes = lanes;
        this.strings = strings;
        this.config = config;
        this.accepted = Counter.builder("consent.events.accepted").description("events committed (not replays)")
                .register(registry);
        this.invalid = Counter.builder("consent.events.rejected").tag("reason", "invalid")
                .description("events refused").register(registry);
        this.unavailable = Counter.builder("consent.events.rejected").tag("reason", "unavailable")
                .description("events refused").register(registry);
    }

    /** The receive time of a request, at the precision PostgreSQL keeps. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** One event: completes once committed (or replayed); fails with a {@link ProblemException}. */
    public Uni<IngestResult> ingestOne(byte[] body, RequestContext request, String organizationId) {
        ConsentEvent event;
        try {
            JsonNode node = JsonInput.read(body);
            Checked checked = check(node, organizationId);
            if (checked.status() == 403) {
                throw OrganizationCheck.forbidden(checked.errors().get(0));
            }
            if (checked.status() != 0) {
                throw ProblemException.invalid(checked.errors());
            }
            event = EventNormalizer.normalize(node, JsonInput.text(body), request, null, checked.fromString());
        } catch (ProblemException e) {
            invalid.increment();
            return Uni.createFrom().failure(e);
        }
        ConsentEvent submitted = event;
        return Uni.createFrom().completionStage(submit(event)).onFailure()
                .transform(failure -> problem(failure, submitted));
    }

    /** Many events: the valid ones are stored, each invalid one is reported under its index. */
    public Uni<BatchOutcome> ingestBatch(List<JsonInput.Element> elements, RequestContext request,
            String organizationId) {
        checkBatchSize(elements.size());
        List<CompletableFuture<BatchOutcome.Item>> items = new ArrayList<>(elements.size());
        for (int index = 0; index < elements.size(); index++) {
            JsonInput.Element element = elements.get(index);
            Checked checked = element.node() == null
                    ? new Checked(400, List.of(FieldError.at("", element.parseError())), null)
                    : check(element.node(), organizationId);
            int at = index;
            if (checked.status() != 0) {
                if (checked.status() == 400) {
                    invalid.increment();
                }
                String prefix = "/" + index;
                items.add(CompletableFuture.completedFuture(BatchOutcome.Item.refused(at, checked.status(),
                        checked.errors().stream().map(e -> e.under(prefix)).toList())));
                continue;
            }
            ConsentEvent event = EventNormalizer.normalize(element.node(), element.text(), request, index,
                    checked.fromString());
            items.add(submit(event).toCompletableFuture().handle((result, failure) -> {
                if (failure == null) {
                    return BatchOutcome.Item.stored(at, result);
                }
                ProblemException problem = problem(failure, event);
                return BatchOutcome.Item.refused(at, problem.problem().status(),
                        List.of(FieldError.at("/" + at, problem.problem().detail())));
            }));
        }
        return Uni.createFrom().completionStage(CompletableFuture.allOf(items.toArray(CompletableFuture[]::new))
                .thenApply(v -> BatchOutcome.of(items.stream().map(CompletableFuture::join).toList())));
    }

    /** 413 for a batch of more events than the limit. */
    public void checkBatchSize(int events) {
        if (events > config.maxBatchEvents()) {
            throw new ProblemException(io.consentvault.platform.problem.Problem.of(413, "Too many events",
                    "a batch holds at most " + config.maxBatchEvents() + " events; this one has " + events));
        }
    }

    /**
     * An event checked: refused with {@code status} (400, 403) and its errors, or accepted ({@code status} 0) with what
     * its consent string decides (null when it carries none that is decoded).
     */
    record Checked(int status, List<FieldError> errors, ConsentRules.Decisions fromString) {
    }

    /**
     * The schema's rules; the one limit of ours (organization ids are ours to issue, and short); with regulation
     * {@code tcf} or {@code gpp}, a consent string that decodes (decoded once, here); and the key's organization.
     */
    Checked check(JsonNode event, String organizationId) {
        List<FieldError> errors = EventSchema.validate(event);
        JsonNode org = event.get("organization_id");
        if (org != null && org.isTextual() && org.textValue().length() > MAX_ORGANIZATION_ID) {
            errors.add(FieldError.at("/organization_id", "is not an organization id (at most "
                    + MAX_ORGANIZATION_ID + " characters)"));
        }
        if (!errors.isEmpty()) {
            return new Checked(400, errors, null);
        }
        ConsentStringDecoder.Decoded decoded;
        try {
            decoded = strings.decode(event.path("regulation").asText(null), event.path("consent_string").asText(null));
        } catch (ConsentStringDecoder.InvalidConsentString e) {
            return new Checked(400, List.of(FieldError.at("/consent_string", e.getMessage())), null);
        }
        if (!OrganizationCheck.allows(organizationId, org.textValue())) {
            return new Checked(403, List.of(OrganizationCheck.inBody("/organization_id")), null);
        }
        return new Checked(0, List.of(), decoded == null ? null : decoded.decisions());
    }

    private CompletionStage<IngestResult> submit(ConsentEvent event) {
        return lanes.submit(event).thenApply(result -> {
            if (!result.replayed()) {
                accepted.increment();
            }
            return result;
        });
    }

    private ProblemException problem(Throwable failure, ConsentEvent event) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (cause instanceof ProblemException p) {
            return p;
        }
        unavailable.increment();
        if (cause instanceof LaneFullException) {
            return ProblemException.unavailable("the service is at capacity; retry after the delay",
                    config.retryAfterSeconds());
        }
        if (cause instanceof CommitOutcomeUnknownException) {
            return ProblemException.outcomeUnknown(event.id(), event.dedupKey() != null, config.retryAfterSeconds());
        }
        if (cause instanceof DatabaseUnavailableException) {
            return ProblemException.unavailable("the database is unavailable; nothing was stored",
                    config.retryAfterSeconds());
        }
        return ProblemException.unavailable("the event could not be stored; nothing was stored",
                config.retryAfterSeconds());
    }
}
