package io.consentvault.vault.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.consentvault.core.event.BoundedKey;
import io.consentvault.core.store.RecordsTable;
import io.consentvault.vault.query.Expr;
import io.consentvault.vault.query.Field;
import io.consentvault.vault.query.Literal;
import io.consentvault.vault.query.RecordFilter;
import io.consentvault.vault.query.SqlFragment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the vault's records. Every statement is built from a {@link RecordFilter}, so it is bounded by the key's
 * organization, and runs in a transaction with a statement timeout: no clause can hold the database for long. Pages are
 * keyset pages over (order time, event id, item index), so a page is an index range scan that stops at its limit.
 * Non-blocking.
 */
@ApplicationScoped
public class RecordRepository {

    /**
     * How long one vault statement may run; and a plan made for each query's own values. A search's statement is
     * prepared once per shape and run with any values: after five runs PostgreSQL may keep a generic plan, which knows
     * neither how rare a filter's value is nor its casts as constants (each {@code $n::text[]::jsonb[]} is then cast
     * again on every row scanned). Planning a vault query costs well under a millisecond.
     */
    static final String SETTINGS = "SET LOCAL statement_timeout = '10s'; SET LOCAL plan_cache_mode = force_custom_plan";

    private final Pool pool;

    public RecordRepository(Pool pool) {
        this.pool = pool;
    }

    /** A record by the parts of its id ({@link RecordsTable#parseId}): organization, created_at, receive time, key, index. */
    public static final String FIND = "SELECT " + RecordsTable.FIELDS + ", event_key FROM consent_records"
            + " WHERE organization_id = $1 AND created_at = $2 AND received_at = $3 AND event_key = $4"
            + " AND event_index = $5";

    /** Where a page ends: the order time, event id and item index of its last record. */
    public record Position(Instant time, String eventId, int eventIndex) {
    }

    /**
     * One page of records, in the order given ({@code created_at} or {@code received_at}, then event id, then index;
     * {@code descending} reverses all three), after {@code after} (exclusive) when given, skipping {@code offset}.
     * Each record holds {@code fields} (null: every field), plus the position it ends a page at.
     *
     * @param userIds when not empty, only the records of these users (through the index that leads with the bounded
     *        user key)
     */
    public Uni<List<Row>> page(RecordFilter filter, List<String> userIds, Field order, boolean descending,
            Position after, int offset, int limit, List<Field> fields) {
        Statement s = pageStatement(filter, userIds, order, descending, after, offset, limit, fields);
        return inTransaction(conn -> conn.preparedQuery(s.sql()).execute(Tuple.from(s.binds())).map(rows -> {
            List<Row> page = new ArrayList<>();
            rows.forEach(page::add);
            return page;
        }));
    }

    /** A statement and its bind values. */
    public record Statement(String sql, List<Object> binds) {
    }

    /** The statement of {@link #page}. */
    public static Statement pageStatement(RecordFilter filter, List<String> userIds, Field order, boolean descending,
            Position after, int offset, int limit, List<Field> fields) {
        List<Object> binds = new ArrayList<>();
        String where = where(filter, userIds, binds);
        String col = order.column();
        String cmp = descending ? "<" : ">";
        String dir = descending ? " DESC" : "";
        StringBuilder sql = new StringBuilder("SELECT ").append(select(fields))
                .append(", ").append(col).append(" AS page_time, event_id AS page_event, event_index AS page_index")
                .append(" FROM consent_records WHERE ").append(where);
        if (after != null) {
            int t = binds.size() + 1;
            binds.add(OffsetDateTime.ofInstant(after.time(), ZoneOffset.UTC));
            binds.add(after.eventId());
            binds.add(after.eventIndex());
            sql.append(" AND ").append(col).append(descending ? " <= $" : " >= $").append(t).append(" AND (")
                    .append(col).append(", event_id, event_index) ").append(cmp).append(" ($").append(t)
                    .append(", $").append(t + 1).append(", $").append(t + 2).append(")");
        }
        sql.append(" ORDER BY ").append(col).append(dir).append(", event_id").append(dir).append(", event_index")
                .append(dir);
        binds.add(limit);
        sql.append(" LIMIT $").append(binds.size());
        if (offset > 0) {
            binds.add(offset);
            sql.append(" OFFSET $").append(binds.size());
        }
        return new Statement(sql.toString(), binds);
    }

    /** How many records match. */
    public Uni<Long> count(RecordFilter filter, List<String> userIds) {
        List<Object> binds = new ArrayList<>();
        String sql = "SELECT count(*) FROM consent_records WHERE " + where(filter, userIds, binds);
        return inTransaction(conn -> conn.preparedQuery(sql).execute(Tuple.from(binds))
                .map(rows -> rows.iterator().next().getLong(0)));
    }

    /** The record under this id in the organization: one probe of the time index, in one partition. */
    public Uni<Optional<Row>> find(String organizationId, String id) {
        RecordsTable.RecordKey key = RecordsTable.parseId(id);
        if (key == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return pool.preparedQuery(FIND).execute(Tuple.of(organizationId,
                OffsetDateTime.ofInstant(key.createdAt(), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(key.receivedAt(), ZoneOffset.UTC), key.eventKey(), key.eventIndex()))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
                });
    }

    /** A record as the API shows it: the fields asked for, in their order, under their names. */
    public static Map<String, Object> fields(Row r, List<Field> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : fields == null ? List.of(Field.values()) : fields) {
            String c = f.column();
            out.put(f.fieldName(), switch (f.type()) {
                case STRING -> r.getString(c);
                case INTEGER -> r.getInteger(c);
                case BOOLEAN -> r.getBoolean(c);
                case INSTANT -> {
                    OffsetDateTime t = r.getOffsetDateTime(c);
                    yield t == null ? null : t.toInstant();
                }
            });
        }
        return out;
    }

    /** Where the page ends if it ends at this row. */
    public static Position position(Row r) {
        return new Position(r.getOffsetDateTime("page_time").toInstant(), r.getString("page_event"),
                r.getInteger("page_index"));
    }

    private static String select(List<Field> fields) {
        if (fields == null) {
            return RecordsTable.FIELDS;
        }
        StringBuilder s = new StringBuilder();
        for (Field f : fields) {
            s.append(s.isEmpty() ? "" : ", ").append(f.sql());
            if (!f.sql().equals(f.column())) {
                s.append(" AS ").append(f.column());
            }
        }
        return s.isEmpty() ? "organization_id" : s.toString();
    }

    private static String where(RecordFilter filter, List<String> userIds, List<Object> binds) {
        SqlFragment f = filter.toSql(binds.size() + 1);
        binds.addAll(f.binds());
        StringBuilder where = new StringBuilder(f.text());
        for (Expr condition : filter.conditions()) {
            eventChecks(condition, where, binds);
        }
        if (userIds != null && userIds.size() == 1) {
            // one user: an equality, so that the index gives the rows in order (a list would have them sorted)
            binds.add(BoundedKey.of(userIds.get(0)));
            where.append(" AND user_key = $").append(binds.size());
            binds.add(userIds.get(0));
            where.append(" AND user_id = $").append(binds.size());
        } else if (userIds != null && !userIds.isEmpty()) {
            String[] keys = userIds.stream().map(BoundedKey::of).distinct().toArray(String[]::new);
            binds.add(keys);
            where.append(" AND user_key = ANY($").append(binds.size()).append("::text[])");
            binds.add(userIds.toArray(String[]::new));
            where.append(" AND user_id = ANY($").append(binds.size()).append("::text[])");
        }
        return where.toString();
    }

    /**
     * The checks on a whole event that a condition implies, added beside it: a record whose purpose is 'x' is an item
     * of an event whose items hold an object with that purpose, and a record whose change is 'withdrawn' one of an
     * event whose changes hold it. The event is then skipped before its items are taken apart, which is what a
     * filter on a rare value spends its time on. Only for conditions that must hold (the operands of an AND, down
     * from the filter); the condition itself stays, so the records found are the same. Each check is wrapped in
     * {@code coalesce(..., true)}: the planner, which has no statistics of these columns and would take a containment
     * for a rare one, then plans the page as without it (an index scan in order that stops at the limit) instead of
     * reading every event of the organization and sorting them.
     */
    static void eventChecks(Expr condition, StringBuilder where, List<Object> binds) {
        if (condition instanceof Expr.And and) {
            and.operands().forEach(operand -> eventChecks(operand, where, binds));
        } else if (condition instanceof Expr.Compare c && c.op() == Expr.Op.EQ && c.value() instanceof Literal.Text t) {
            eventCheck(c.field(), List.of(t.value()), where, binds);
        } else if (condition instanceof Expr.In in && in.values().stream().allMatch(v -> v instanceof Literal.Text)) {
            eventCheck(in.field(), in.values().stream().map(v -> ((Literal.Text) v).value()).toList(), where, binds);
        }
    }

    private static void eventCheck(Field field, List<String> values, StringBuilder where, List<Object> binds) {
        switch (field) {
            case ACTION, PURPOSE, VENDOR, LEGAL_BASIS -> {
                String[] items = new String[values.size()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = ITEM.createArrayNode().add(ITEM.createObjectNode().put(field.fieldName(), values.get(i)))
                            .toString();
                }
                binds.add(items);
                where.append(" AND coalesce(event_items @> ANY($").append(binds.size())
                        .append("::text[]::jsonb[]), true)");
            }
            case CHANGE -> {
                binds.add(values.toArray(String[]::new));
                where.append(" AND coalesce(event_changes && $").append(binds.size()).append("::text[], true)");
            }
            default -> {
                // an event's own fields are checked on the event already
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper ITEM = new com.fasterxml.jackson.databind.ObjectMapper();

    private <T> Uni<T> inTransaction(java.util.function.Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(conn -> conn.query(SETTINGS).execute().chain(() -> work.apply(conn)));
    }
}
