package io.consentvault.vault.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.core.event.EventRules;
import io.consentvault.core.layout.ExportLayout;
import io.consentvault.core.tcf.ConsentStrings;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;
import io.consentvault.tenancy.auth.Caller;
import io.consentvault.tenancy.auth.KeyNames;
import io.consentvault.tenancy.auth.Scope;
import io.consentvault.vault.query.Expr;
import io.consentvault.vault.query.Field;
import io.consentvault.vault.query.Instants;
import io.consentvault.vault.query.Literal;
import io.consentvault.vault.query.QueryException;
import io.consentvault.vault.query.QueryParser;
import io.consentvault.vault.query.RecordFilter;
import io.consentvault.vault.query.SearchStatement;
import io.consentvault.vault.repository.Cursors;
import io.consentvault.vault.repository.ProofRepository;
import io.consentvault.vault.repository.RecordRepository;
import io.consentvault.vault.repository.RecordRepository.Position;
import io.consentvault.vault.useragent.UserAgents;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * The consent vault's reads: records with filters, a {@code where} clause and cursors, one record with its proof, and
 * the erasure receipts. Maps HTTP only; runs on the event loop.
 */
@SecurityRequirement(name = "apiKey")
@APIResponse(responseCode = "401", description = "Missing, unknown or revoked API key")
@APIResponse(responseCode = "403", description = "The key lacks vault:read, or names another organization")
@APIResponse(responseCode = "429", description = "The key is over its rate (Retry-After, RateLimit)")
@Path("/v1/vault")
@Tag(name = "Consent vault")
@Produces(MediaType.APPLICATION_JSON)
public class VaultResource {

    static final int MAX_LIMIT = 1000;
    /** How long a search cursor lasts after the answer that gave it. */
    static final java.time.Duration CURSOR_LIFETIME = java.time.Duration.ofMinutes(5);

    private final RecordRepository records;
    private final ProofRepository proofs;
    private final Cursors cursors;
    private final Caller caller;
    private final ConsentStrings strings;
    private final KeyNames keyNames;
    private final UserAgents userAgents;
    private final ObjectMapper mapper;

    public VaultResource(RecordRepository records, ProofRepository proofs, Cursors cursors, Caller caller,
            ConsentStrings strings, KeyNames keyNames, UserAgents userAgents, ObjectMapper mapper) {
        this.records = records;
        this.proofs = proofs;
        this.cursors = cursors;
        this.caller = caller;
        this.strings = strings;
        this.keyNames = keyNames;
        this.userAgents = userAgents;
        this.mapper = mapper;
    }

    /** A page of records. */
    @RegisterForReflection
    public record RecordsPage(List<Map<String, Object>> records, String nextCursor) {
    }

    /** A page of erasure receipts. */
    @RegisterForReflection
    public record ErasuresPage(List<ProofRepository.Receipt> erasures, String nextCursor) {
    }

    @GET
    @Scope(Scope.VAULT_READ)
    @Path("/records")
    @Operation(summary = "The organization's consent records, most recent first, with filters and a where clause")
    @APIResponse(responseCode = "200", description = "{records, next_cursor}")
    @APIResponse(responseCode = "400", description = "A filter, limit, cursor or where clause that is not valid"
            + " (errors name the parameter and, for where, the position)")
    public Uni<RecordsPage> records(
            @Parameter(description = "exact action; repeat for any of several") @QueryParam("action") List<String> action,
            @QueryParam("purpose") List<String> purpose, @QueryParam("vendor") List<String> vendor,
            @QueryParam("user_id") List<String> userId, @QueryParam("change") List<String> change,
            @QueryParam("regulation") List<String> regulation, @QueryParam("country") List<String> country,
            @QueryParam("source_type") List<String> sourceType, @QueryParam("notice_id") List<String> noticeId,
            @Parameter(description = "created_at from (inclusive): RFC 3339 or YYYY-MM-DD") @QueryParam("from") String from,
            @Parameter(description = "created_at to (exclusive): RFC 3339 or YYYY-MM-DD") @QueryParam("to") String to,
            @Parameter(description = "a clause of the query language") @QueryParam("where") String where,
            @Parameter(description = "desc (default) or asc") @QueryParam("order") String order,
            @Parameter(description = "1 to 1000, default 20") @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor, @QueryParam("organization_id") String organizationId) {
        String org = caller.organization(organizationId);
        boolean descending = order == null || order.equals("desc");
        if (!descending && !order.equals("asc")) {
            throw invalid(FieldError.query("order", "must be desc or asc"));
        }
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw invalid(FieldError.query("limit", "must be 1 to " + MAX_LIMIT));
        }
        RecordFilter filter = RecordFilter.of(org);
        filter = any(filter, Field.ACTION, action);
        filter = any(filter, Field.PURPOSE, purpose);
        filter = any(filter, Field.VENDOR, vendor);
        filter = any(filter, Field.CHANGE, change);
        filter = any(filter, Field.REGULATION, regulation);
        filter = any(filter, Field.COUNTRY, country);
        filter = any(filter, Field.SOURCE_TYPE, sourceType);
        filter = any(filter, Field.NOTICE_ID, noticeId);
        if (from != null) {
            filter = filter
                    .and(new Expr.Compare(Field.CREATED_AT, Expr.Op.GE, new Literal.Time(instant("from", from))));
        }
        if (to != null) {
            filter = filter.and(new Expr.Compare(Field.CREATED_AT, Expr.Op.LT, new Literal.Time(instant("to", to))));
        }
        if (where != null) {
            try {
                filter = filter.and(QueryParser.parse(where));
            } catch (QueryException e) {
                throw invalid(FieldError.query("where", e.getMessage(), e.position()));
            }
        }
        List<String> users = userId == null ? List.of() : userId;
        // a cursor continues this very query: it carries a digest of every parameter but itself
        String query = digest(String.join("\u0001", org, String.valueOf(action), String.valueOf(purpose),
                String.valueOf(vendor), String.valueOf(users), String.valueOf(change), String.valueOf(regulation),
                String.valueOf(country), String.valueOf(sourceType), String.valueOf(noticeId), String.valueOf(from),
                String.valueOf(to), String.valueOf(where), String.valueOf(descending), Integer.toString(size)));
        Position after = cursor == null ? null : position(cursor, "records", query);
        return records.page(filter, users, Field.CREATED_AT, descending, after, 0, size + 1, null).map(rows -> {
            List<Map<String, Object>> page = new ArrayList<>();
            for (int i = 0; i < Math.min(size, rows.size()); i++) {
                page.add(RecordRepository.fields(rows.get(i), null));
            }
            String next = rows.size() > size
                    ? cursor("records", query, RecordRepository.position(rows.get(size - 1)))
                    : null;
            return new RecordsPage(page, next);
        });
    }

    /** The body of a search: a statement (and whether to open a cursor), or the cursor of an earlier answer. */
    @RegisterForReflection
    public record SearchRequest(String query, Boolean openCursor, String cursorId) {
    }

    /** A search's answer. */
    @RegisterForReflection
    public record SearchAnswer(List<Map<String, Object>> results, int objectsCount, long totalCount,
            String nextCursorId) {
    }

    @POST
    @Scope(Scope.VAULT_READ)
    @Path("/search")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The audit search form: SELECT ... FROM consent_records WHERE ... ORDER BY ... START ... LIMIT"
            + " ..., with cursors that expire 5 minutes after they were given")
    @APIResponse(responseCode = "200", description = "{results, objects_count, total_count, next_cursor_id}")
    @APIResponse(responseCode = "400", description = "A statement that is not in the language (errors give the"
            + " position), or a cursor that is unknown, altered or expired")
    public Uni<SearchAnswer> search(SearchRequest body, @QueryParam("organization_id") String organizationId) {
        String org = caller.organization(organizationId);
        if (body == null || (body.query() == null && body.cursorId() == null)) {
            throw invalid(FieldError.at("/query", "is required"));
        }
        String text;
        Position after = null;
        boolean open = Boolean.TRUE.equals(body.openCursor());
        if (body.cursorId() != null) {
            String[] parts = searchCursor(body.cursorId(), org);
            after = new Position(Instant.parse(parts[3]), new String(Base64.getUrlDecoder().decode(parts[5]),
                    StandardCharsets.UTF_8), Integer.parseInt(parts[4]));
            text = parts[6];
            open = true;
        } else {
            text = body.query();
        }
        SearchStatement statement;
        try {
            statement = SearchStatement.parse(text);
        } catch (QueryException e) {
            throw invalid(FieldError.at("/query", e.getMessage(), e.position()));
        }
        if (open && statement.start() > 0) {
            throw invalid(FieldError.at("/query", "START cannot be used with a cursor"));
        }
        RecordFilter filter = RecordFilter.of(org);
        if (statement.where() != null) {
            filter = filter.and(statement.where());
        }
        Uni<Long> total = records.count(filter, List.of());
        if (statement.count()) {
            return total.map(n -> new SearchAnswer(List.of(Map.of("count", n)), 1, n, null));
        }
        boolean withCursor = open;
        Uni<List<io.vertx.mutiny.sqlclient.Row>> page = records.page(filter, List.of(), statement.order(),
                statement.descending(), after, statement.start(), statement.limit() + 1, statement.fields());
        return Uni.combine().all().unis(page, total).asTuple().map(both -> {
            List<io.vertx.mutiny.sqlclient.Row> rows = both.getItem1();
            int size = statement.limit();
            List<Map<String, Object>> results = new ArrayList<>();
            for (int i = 0; i < Math.min(size, rows.size()); i++) {
                results.add(RecordRepository.fields(rows.get(i), statement.fields()));
            }
            String next = withCursor && rows.size() > size
                    ? searchCursor(org, text, RecordRepository.position(rows.get(size - 1)))
                    : null;
            return new SearchAnswer(results, results.size(), both.getItem2(), next);
        });
    }

    /** A search cursor: the organization, when it expires, where the page ended, and the statement it continues. */
    private String searchCursor(String org, String statement, Position p) {
        long expires = Instant.now().plus(CURSOR_LIFETIME).toEpochMilli();
        return cursors.seal("search\n" + org + "\n" + expires + "\n" + p.time() + "\n" + p.eventIndex() + "\n"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(p.eventId().getBytes(StandardCharsets.UTF_8))
                + "\n" + statement);
    }

    private String[] searchCursor(String cursor, String org) {
        String content = cursors.open(cursor);
        String[] parts = content == null ? null : content.split("\n", 7);
        if (parts == null || parts.length != 7 || !parts[0].equals("search") || !parts[1].equals(org)) {
            throw invalid(FieldError.at("/cursor_id", "is not a cursor this service gave"));
        }
        if (Long.parseLong(parts[2]) < Instant.now().toEpochMilli()) {
            throw invalid(FieldError.at("/cursor_id", "has expired (a cursor lasts 5 minutes)"));
        }
        return parts;
    }

    @GET
    @Scope(Scope.VAULT_READ)
    @Path("/records/{id}")
    @Operation(summary = "One record with its proof: the event, the parsed user agent, the key that sent it")
    @APIResponse(responseCode = "200", description = "{record, event, user_agent, api_key}")
    @APIResponse(responseCode = "404", description = "Unknown, or another organization's")
    public Uni<Response> record(@PathParam("id") String id, @QueryParam("organization_id") String organizationId) {
        String org = caller.organization(organizationId);
        return records.find(org, id).chain(found -> {
            if (found.isEmpty()) {
                throw ProblemException.notFound("no such record");
            }
            var row = found.get();
            Map<String, Object> record = RecordRepository.fields(row, null);
            return proofs.event(org, row.getString("event_key"), row.getOffsetDateTime("received_at").toInstant())
                    .chain(event -> Uni.combine().all()
                            .unis(keyNames.name(org, row.getString("api_key_id")),
                                    userAgents.parse(event.map(e -> e.userAgent()).orElse(null)))
                            .asTuple().map(both -> {
                                var name = both.getItem1();
                                UserAgents.UserAgent agent = both.getItem2();
                                ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
                                try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
                                    g.writeStartObject();
                                    g.writeFieldName("record");
                                    g.writeObject(record);
                                    g.writeFieldName("event");
                                    if (event.isEmpty()) {
                                        g.writeNull();
                                    } else {
                                        ExportLayout.event(g, event.get(), EventRules.decisions(event.get(), strings),
                                                true);
                                    }
                                    g.writeFieldName("user_agent");
                                    g.writeObject(agent);
                                    g.writeFieldName("api_key");
                                    String keyId = row.getString("api_key_id");
                                    if (keyId == null) {
                                        g.writeNull();
                                    } else {
                                        g.writeStartObject();
                                        g.writeStringField("id", keyId);
                                        g.writeStringField("name", name.orElse(null));
                                        g.writeEndObject();
                                    }
                                    g.writeEndObject();
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                }
                                return Response.ok(out.toByteArray(), MediaType.APPLICATION_JSON_TYPE).build();
                            }));
        });
    }

    @GET
    @Scope(Scope.VAULT_READ)
    @Path("/erasures")
    @Operation(summary = "The organization's erasure receipts, newest first: no personal data")
    @APIResponse(responseCode = "200", description = "{erasures, next_cursor}")
    public Uni<ErasuresPage> erasures(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor,
            @QueryParam("organization_id") String organizationId) {
        String org = caller.organization(organizationId);
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw invalid(FieldError.query("limit", "must be 1 to " + MAX_LIMIT));
        }
        ProofRepository.Receipt after = null;
        if (cursor != null) {
            Position p = position(cursor, "erasures", digest(org));
            after = new ProofRepository.Receipt(p.eventId(), p.time(), 0);
        }
        return proofs.erasures(org, after, size + 1).map(rows -> {
            List<ProofRepository.Receipt> page = rows.subList(0, Math.min(size, rows.size()));
            String next = null;
            if (rows.size() > size) {
                ProofRepository.Receipt last = rows.get(size - 1);
                next = cursor("erasures", digest(org), new Position(last.erasedAt(), last.erasureId(), 0));
            }
            return new ErasuresPage(List.copyOf(page), next);
        });
    }

    private static RecordFilter any(RecordFilter filter, Field field, List<String> values) {
        if (values == null || values.isEmpty()) {
            return filter;
        }
        List<Literal> literals = new ArrayList<>();
        values.forEach(v -> literals.add(new Literal.Text(v)));
        return filter.and(new Expr.In(field, literals));
    }

    private static Instant instant(String name, String text) {
        Instant t = Instants.parse(text);
        if (t == null) {
            throw invalid(FieldError.query(name, "must be an RFC 3339 date-time or YYYY-MM-DD"));
        }
        return t;
    }

    private String cursor(String kind, String query, Position p) {
        return cursors.seal(kind + "\n" + query + "\n" + p.time() + "\n" + p.eventIndex() + "\n" + p.eventId());
    }

    private Position position(String cursor, String kind, String query) {
        String content = cursors.open(cursor);
        String[] parts = content == null ? null : content.split("\n", 5);
        if (parts == null || parts.length != 5 || !parts[0].equals(kind)) {
            throw invalid(FieldError.query("cursor", "is not a cursor this service gave"));
        }
        if (!parts[1].equals(query)) {
            throw invalid(FieldError.query("cursor", "belongs to another query"));
        }
        return new Position(Instant.parse(parts[2]), parts[4], Integer.parseInt(parts[3]));
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException invalid(FieldError error) {
        return ProblemException.invalid(List.of(error));
    }
}
