package io.consentvault.vault.query;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.consentvault.core.store.RecordsTable;

/**
 * The vault's field whitelist, the one place that knows it: every field a query may name, its type, and its column in
 * {@code consent_records}. A name not listed here never reaches SQL; a column name only ever comes from here.
 * <p>
 * The columns are named like the fields; text columns are {@code COLLATE "C"}, so strings compare by code point.
 */
public enum Field {

    ID("id", Type.STRING), EVENT_ID("event_id", Type.STRING), EVENT_INDEX("event_index", Type.INTEGER), ORGANIZATION_ID(
            "organization_id", Type.STRING), USER_ID("user_id", Type.STRING), ORGANIZATION_USER_ID(
                    "organization_user_id", Type.STRING), ACTION("action", Type.STRING), PURPOSE("purpose",
                            Type.STRING), VENDOR("vendor", Type.STRING), LEGAL_BASIS("legal_basis", Type.STRING), VALUE(
                                    "value", Type.BOOLEAN), DECISION("decision", Type.BOOLEAN), CHANGE("change",
                                            Type.STRING), REGULATION("regulation", Type.STRING), NOTICE_ID("notice_id",
                                                    Type.STRING), COUNTRY("country", Type.STRING), REGION("region",
                                                            Type.STRING), SOURCE_TYPE("source_type",
                                                                    Type.STRING), SDK_VERSION("sdk_version",
                                                                            Type.STRING), API_KEY_ID("api_key_id",
                                                                                    Type.STRING), CREATED_AT(
                                                                                            "created_at",
                                                                                            Type.INSTANT), RECEIVED_AT(
                                                                                                    "received_at",
                                                                                                    Type.INSTANT);

    /** A field's type: what literal it takes and the SQL type its binds are cast to. */
    public enum Type {
        STRING("a string", "text"), INTEGER("an integer", "integer"), BOOLEAN("a boolean",
                "boolean"), INSTANT("an instant", "timestamptz");

        private final String description;
        private final String sqlType;

        Type(String description, String sqlType) {
            this.description = description;
            this.sqlType = sqlType;
        }

        /** "a string", "an integer", ...: for error messages. */
        public String description() {
            return description;
        }

        /** The PostgreSQL type of the column, which each bind parameter is cast to. */
        public String sqlType() {
            return sqlType;
        }
    }

    private static final Map<String, Field> BY_NAME = new HashMap<>();

    static {
        for (Field f : values()) {
            BY_NAME.put(f.fieldName, f);
        }
    }

    private final String fieldName;
    private final Type type;

    Field(String fieldName, Type type) {
        this.fieldName = fieldName;
        this.type = type;
    }

    /** The field as the API names it ({@code user_id}), case-sensitive. */
    public String fieldName() {
        return fieldName;
    }

    public Type type() {
        return type;
    }

    /**
     * The name of the field's column in a result (and, but for {@code id}, in {@code consent_records}): a plain
     * lower-case identifier, safe in SQL.
     */
    public String column() {
        return fieldName;
    }

    /**
     * The field as SQL over a row of {@code consent_records}: its column; for {@code id}, which is not stored, the
     * expression that computes it ({@link RecordsTable#ID}); for {@code organization_id}, which keeps the events'
     * collation so that the organization bound matches the indexes, the column compared by code point like the others.
     */
    public String sql() {
        return switch (this) {
            case ID -> RecordsTable.ID;
            case ORGANIZATION_ID -> "(organization_id COLLATE \"C\")";
            default -> fieldName;
        };
    }

    /** The field of that exact name (case-sensitive), if there is one. */
    public static Optional<Field> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
