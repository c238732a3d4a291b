package io.consentvault.core.store;

import io.consentvault.core.decision.ConsentState;
import io.consentvault.core.event.UserKey;
import io.vertx.sqlclient.Row;

/**
 * The {@code consent_state} table's columns and row mapping, in one place: a row is a user's key and latest
 * {@link ConsentState}, its decisions held as the document of {@link StateCodec}. Statements that read or write states
 * select {@link #columns} and map rows with {@link #key} and {@link #state}. Stateless.
 */
public final class StateTable {

    private static final String[] COLUMNS = {"organization_id", "user_key", "user_id", "user_type", "decisions::text",
            "created_at", "updated_at", "version", "revision"};

    private StateTable() {
    }

    /** The columns {@link #key} and {@link #state} map, each qualified by {@code alias} (say {@code "s."}, or ""). */
    public static String columns(String alias) {
        StringBuilder s = new StringBuilder();
        for (String c : COLUMNS) {
            s.append(s.isEmpty() ? "" : ", ").append(alias).append(c);
        }
        return s.toString();
    }

    public static UserKey key(Row r) {
        return new UserKey(r.getString(0), r.getString(1));
    }

    public static ConsentState state(Row r) {
        return StateCodec.decode(r.getString(2), r.getString(3), r.getString(4),
                EventsTable.instant(r.getOffsetDateTime(5)), EventsTable.instant(r.getOffsetDateTime(6)),
                r.getInteger(7), r.getLong(8));
    }
}
