package io.consentvault.vault.query;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import io.consentvault.core.event.Formats;

/**
 * How the vault reads an instant written as text, in a query's literals and in the {@code from} / {@code to}
 * parameters alike: RFC 3339 with any offset (the same reading as an event's {@code created_at}), or
 * {@code YYYY-MM-DD} meaning that day at 00:00Z.
 */
public final class Instants {

    private Instants() {
    }

    /** The instant the text names, or null when it is neither RFC 3339 nor {@code YYYY-MM-DD}. */
    public static Instant parse(String text) {
        if (text.length() == 10) {
            return parseDate(text);
        }
        return Formats.parseDateTime(text);
    }

    private static Instant parseDate(String s) {
        for (int i = 0; i < 10; i++) {
            char c = s.charAt(i);
            boolean ok = i == 4 || i == 7 ? c == '-' : c >= '0' && c <= '9';
            if (!ok) {
                return null;
            }
        }
        try {
            return LocalDate.of(Integer.parseInt(s, 0, 4, 10), Integer.parseInt(s, 5, 7, 10),
                    Integer.parseInt(s, 8, 10, 10)).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
