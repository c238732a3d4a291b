package io.consentvault.core.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A record's id is computed, never stored: by the database ({@code consent_record_id}, {@link RecordsTable#ID}) when a
 * record is read, and parsed back by {@link RecordsTable#parseId} to find the row. Both sides must agree to the
 * microsecond, for any event key.
 */
@QuarkusTest
class RecordsTableTest {

    @Inject
    Pool pool;

    @Test
    void theDatabaseComputesTheIdJavaDoesAndParsesBack() throws Exception {
        Instant[] times = {Instant.parse("2026-11-03T08:00:00.123456Z"), Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("2026-01-01T00:00:00Z")};
        String[] keys = {"ev-1", "é/ü 字 \uD83D\uDE00", "x".repeat(500)};
        for (Instant created : times) {
            for (String key : keys) {
                Instant received = created.plusSeconds(3600).plusNanos(1_000);
                String sql = pool.preparedQuery("SELECT consent_record_id($1, $2, $3, $4)")
                        .execute(Tuple.of(utc(created), utc(received), 7, key)).toCompletionStage()
                        .toCompletableFuture().get(30, TimeUnit.SECONDS).iterator().next().getString(0);
                assertEquals(RecordsTable.id(created, received, 7, key), sql, key);
                assertEquals(new RecordsTable.RecordKey(created, received, 7, key), RecordsTable.parseId(sql));
            }
        }
    }

    @Test
    void aTextThatIsNotAnIdLeadsNowhere() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        assertNull(RecordsTable.parseId("not base64!"));
        assertNull(RecordsTable.parseId(b64.encodeToString(new byte[20])), "no event key");
        byte[] malformed = new byte[22];
        malformed[20] = (byte) 0xC3; // a UTF-8 lead byte without its continuation
        malformed[21] = 'a';
        assertNull(RecordsTable.parseId(b64.encodeToString(malformed)));
        byte[] nul = new byte[21];
        assertNull(RecordsTable.parseId(b64.encodeToString(nul)), "a NUL in the key");
        byte[] negative = new byte[21];
        negative[16] = (byte) 0x80;
        negative[20] = 'k';
        assertNull(RecordsTable.parseId(b64.encodeToString(negative)), "a negative index");
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
