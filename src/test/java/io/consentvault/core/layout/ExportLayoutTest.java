package io.consentvault.core.layout;

import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The layout's own instant writer against {@link Instant#toString}, which it replaces in every answer and export. */
class ExportLayoutTest {

    @Test
    void instantsAreWrittenExactlyAsInstantToStringWritesThem() {
        String[] edges = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.000001Z", "1900-03-01T00:00:00.100Z",
                "2026-11-27T09:42:46.339604Z", "2026-12-31T23:59:59.000000001Z", "2100-02-28T01:02:03.040Z"};
        char[] out = new char[30];
        for (String edge : edges) {
            Instant t = Instant.parse(edge);
            assertEquals(t.toString(), new String(out, 0, ExportLayout.iso(t, out)), edge);
        }
        Random random = new Random(42);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long seconds = min + (long) (random.nextDouble() * (max - min));
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertEquals(t.toString(), new String(out, 0, ExportLayout.iso(t, out)));
        }
        assertEquals(-1, ExportLayout.iso(Instant.parse("+10000-01-01T00:00:00Z"), out));
        assertEquals(-1, ExportLayout.iso(Instant.parse("-0001-12-31T00:00:00Z"), out));
    }
}
