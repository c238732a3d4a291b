package io.consentvault.export.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
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

import io.consentvault.export.ExportConfig;
import io.consentvault.export.model.ExportRun;
import io.consentvault.export.run.ExportRunner;
import io.consentvault.export.run.ExportRuns;
import io.consentvault.export.write.ExportWriter;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.Problem;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.tenancy.auth.Caller;
import io.consentvault.tenancy.auth.Scope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** The daily export's runs: ask for one, follow it, list them. Maps HTTP only. */
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
@APIResponse(responseCode = "403", description = "The key lacks the scope, or names another organization")
@Path("/v1/exports")
@Tag(name = "Daily export")
@Produces(MediaType.APPLICATION_JSON)
public class ExportResource {

    static final int MAX_LIMIT = 100;

    private final Caller caller;
    private final ExportConfig config;
    private final ExportRunner runner;

    public ExportResource(Caller caller, ExportConfig config, ExportRunner runner) {
        this.caller = caller;
        this.config = config;
        this.runner = runner;
    }

    /** The body of {@code POST /v1/exports}. */
    public record Ask(String date) {
    }

    @POST
    @Scope(Scope.EXPORTS_MANAGE)
    @Operation(summary = "Export a UTC day (today at most: its cutoff is the start of the run)")
    @APIResponse(responseCode = "202", description = "Queued: the run, at Location")
    @APIResponse(responseCode = "409", description = "Exports are off, or a run of that date is queued or running")
    public Uni<Response> ask(Ask body, @QueryParam("organization_id") String organizationId) {
        String org = caller.organization(organizationId);
        LocalDate date = date(body == null ? null : body.date());
        if (config.destination().isEmpty()) {
            throw new ProblemException(Problem.of(409, "Exports are off",
                    "no export destination is configured (CONSENT_EXPORT_DESTINATION)"));
        }
        ExportRun run = new ExportRun();
        run.id = ExportRuns.newId();
        run.organizationId = org;
        run.date = date;
        run.trigger = ExportRun.ON_DEMAND;
        run.status = ExportRun.QUEUED;
        run.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return Panache.withTransaction(() -> ExportRun.find(
                "organizationId = ?1 and date = ?2 and status in ('queued', 'running')", org, date).firstResult()
                .chain(active -> active != null
                        ? Uni.createFrom().<ExportRun>nullItem()
                        : run.persistAndFlush()
                                .replaceWith(run)))
                .onFailure(ExportResource::duplicate).recoverWithNull()
                .map(saved -> {
                    if (saved == null) {
                        throw new ProblemException(Problem.of(409, "Export already running",
                                "a run of " + date + " is queued or running"));
                    }
                    runner.wake();
                    // relative, as API.md gives it (location() would make it absolute)
                    return Response.accepted(view(saved)).header(HttpHeaders.LOCATION, "/v1/exports/" + saved.id)
                            .build();
                });
    }

    @GET
    @Scope(Scope.EXPORTS_MANAGE)
    @Path("/{id}")
    @WithSession
    @Operation(summary = "One run, with its live progress")
    @APIResponse(responseCode = "404", description = "Unknown, or another organization's")
    public Uni<Map<String, Object>> get(@PathParam("id") String id,
            @QueryParam("organization_id") String organizationId) {
        String org = caller.organization(organizationId);
        return ExportRun.<ExportRun>findById(id).map(run -> {
            if (run == null || !run.organizationId.equals(org)) {
                throw ProblemException.notFound("no such export run");
            }
            return view(run);
        });
    }

    /** A page of runs. */
    public record Page(List<Map<String, Object>> runs, String nextCursor) {
    }

    @GET
    @Scope(Scope.EXPORTS_MANAGE)
    @WithSession
    @Operation(summary = "The organization's runs, newest first")
    public Uni<Page> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
            @QueryParam("organization_id") String organizationId) {
        String org = caller.organization(organizationId);
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ProblemException.invalid(List.of(FieldError.query("limit", "must be 1 to " + MAX_LIMIT)));
        }
        Uni<List<ExportRun>> found;
        if (cursor == null) {
            found = ExportRun.find("organizationId = ?1 order by createdAt desc, id desc", org).page(0, size + 1)
                    .list();
        } else {
            String[] after = after(cursor);
            found = ExportRun.find("organizationId = ?1 and (createdAt < ?2 or (createdAt = ?2 and id < ?3))"
                    + " order by createdAt desc, id desc", org, Instant.parse(after[0]), after[1]).page(0, size + 1)
                    .list();
        }
        return found.map(runs -> {
            String next = null;
            if (runs.size() > size) {
                ExportRun last = runs.get(size - 1);
                next = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString((last.createdAt + "\n" + last.id).getBytes(StandardCharsets.UTF_8));
            }
            return new Page(runs.stream().limit(size).map(ExportResource::view).toList(), next);
        });
    }

    /** A run as the API shows it. */
    static Map<String, Object> view(ExportRun run) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", run.id);
        v.put("organization_id", run.organizationId);
        v.put("date", run.date.toString());
        v.put("trigger", run.trigger);
        v.put("status", run.status);
        v.put("created_at", run.createdAt);
        v.put("started_at", run.startedAt);
        v.put("finished_at", run.finishedAt);
        v.put("cutoff_at", run.cutoffAt);
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("users_written", run.usersWritten);
        progress.put("events_written", run.eventsWritten);
        progress.put("bytes_written", run.bytesWritten);
        progress.put("percent", ExportRun.SUCCEEDED.equals(run.status)
                ? 100.0
                : ExportWriter.percent(run.usersWritten + run.eventsWritten,
                        run.rowsExpected == null ? 0 : run.rowsExpected));
        v.put("progress", progress);
        v.put("manifest", run.manifest);
        if (run.errorTitle == null) {
            v.put("error", null);
        } else {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("title", run.errorTitle);
            error.put("detail", run.errorDetail);
            v.put("error", error);
        }
        return v;
    }

    private static LocalDate date(String text) {
        if (text == null) {
            throw ProblemException.invalid(List.of(FieldError.at("/date", "is required (YYYY-MM-DD, a UTC day)")));
        }
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(List.of(FieldError.at("/date", "must be a day, YYYY-MM-DD")));
        }
        if (date.isAfter(LocalDate.now(ZoneOffset.UTC))) {
            throw ProblemException.invalid(List.of(FieldError.at("/date", "must be today (UTC) or earlier")));
        }
        return date;
    }

    private static String[] after(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 2);
            Instant.parse(parts[0]);
            if (parts.length != 2 || parts[1].indexOf('\0') >= 0) {
                throw new IllegalArgumentException();
            }
            return parts;
        } catch (RuntimeException e) {
            throw ProblemException.invalid(List.of(FieldError.query("cursor", "is not a cursor this service gave")));
        }
    }

    /** A concurrent ask of the same date lost the race on the unique index: the same answer as a queued run. */
    private static boolean duplicate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("export_runs_active_idx")) {
                return true;
            }
        }
        return false;
    }
}
