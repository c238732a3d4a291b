package io.consentvault.vault.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Field} is the vault's one field whitelist: this test is its specification, field by field. */
class FieldTest {

    @Test
    void theWhitelistTypesAndColumns() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String s : new String[]{"id", "event_id", "organization_id", "user_id", "organization_user_id",
                "action", "purpose", "vendor", "legal_basis", "change", "regulation", "notice_id", "country", "region",
                "source_type", "sdk_version", "api_key_id"}) {
            expected.put(s, "text");
        }
        expected.put("event_index", "integer");
        expected.put("value", "boolean");
        expected.put("decision", "boolean");
        expected.put("created_at", "timestamptz");
        expected.put("received_at", "timestamptz");

        Map<String, String> actual = new LinkedHashMap<>();
        for (Field f : Field.values()) {
            actual.put(f.fieldName(), f.type().sqlType());
            assertEquals(f.fieldName(), f.column(), "columns are named like the fields");
            assertTrue(f.column().matches("[a-z_]+"), "a column is a plain identifier");
            assertEquals(Optional.of(f), Field.byName(f.fieldName()));
        }
        assertEquals(expected.keySet().stream().sorted().toList(), actual.keySet().stream().sorted().toList());
        expected.forEach((name, type) -> assertEquals(type, actual.get(name), name));
    }

    @Test
    void namesAreCaseSensitive() {
        assertEquals(Optional.empty(), Field.byName("USER_ID"));
        assertEquals(Optional.empty(), Field.byName("User_Id"));
        assertEquals(Optional.empty(), Field.byName(" user_id"));
    }
}
