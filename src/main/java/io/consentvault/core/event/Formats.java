package io.consentvault.core.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The two string formats of the event schema, {@code date-time} (RFC 3339) and {@code uri} (RFC 3986). */
public final class Formats {

    private Formats() {
    }

    /**
     * Parses an RFC 3339 {@code date-time} ({@code 2024-05-01T12:00:00.123+02:00}; {@code T} and {@code Z} in any
     * case, or a space for the {@code T} as RFC 3339 5.6 allows and common validators accept; a leap second is read
     * as the last instant of its minute). Returns null when the text is not one.
     */
    public static Instant parseDateTime(String s) {
        int n = s.length();
        if (n < 20 || !digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 7) || s.charAt(7) != '-'
                || !digits(s, 8, 10) || (s.charAt(10) != 'T' && s.charAt(10) != 't' && s.charAt(10) != ' ')
                || !digits(s, 11, 13)
                || s.charAt(13) != ':' || !digits(s, 14, 16) || s.charAt(16) != ':' || !digits(s, 17, 19)) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (len == 0) {
                return null;
            }
            String frac = s.substring(start, Math.min(i, start + 9));
            nanos = Integer.parseInt(frac) * pow10(9 - frac.length());
        }
        if (i >= n) {
            return null;
        }
        int offsetSeconds;
        char z = s.charAt(i);
        if ((z == 'Z' || z == 'z') && i == n - 1) {
            offsetSeconds = 0;
        } else if ((z == '+' || z == '-') && i + 6 == n && digits(s, i + 1, i + 3) && s.charAt(i + 3) == ':'
                && digits(s, i + 4, i + 6)) {
            int hours = num(s, i + 1, i + 3);
            int minutes = num(s, i + 4, i + 6);
            if (hours > 23 || minutes > 59) {
                return null;
            }
            offsetSeconds = (hours * 3600 + minutes * 60) * (z == '-' ? -1 : 1);
        } else {
            return null;
        }
        int second = num(s, 17, 19);
        boolean leap = second == 60;
        try {
            LocalDateTime local = LocalDateTime.of(num(s, 0, 4), num(s, 5, 7), num(s, 8, 10), num(s, 11, 13),
                    num(s, 14, 16), leap ? 59 : second, leap ? 999_999_999 : nanos);
            return local.toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** An absolute URI as RFC 3986 defines it: a scheme, then only URI characters and well-formed escapes. */
    public static boolean isUri(String s) {
        int n = s.length();
        if (n == 0 || !isAlpha(s.charAt(0))) {
            return false;
        }
        int i = 1;
        while (i < n && (isAlpha(s.charAt(i)) || isDigit(s.charAt(i)) || "+-.".indexOf(s.charAt(i)) >= 0)) {
            i++;
        }
        if (i >= n || s.charAt(i) != ':') {
            return false;
        }
        boolean fragment = false;
        for (i = i + 1; i < n; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= n || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c == '#') {
                if (fragment) {
                    return false;
                }
                fragment = true;
            } else if (!(isAlpha(c) || isDigit(c) || "-._~!$&'()*+,;=:@/?[]".indexOf(c) >= 0)) {
                return false;
            }
        }
        return authorityIsWellFormed(s);
    }

    /** Brackets belong to an IP literal host only; a port is digits. */
    private static boolean authorityIsWellFormed(String s) {
        int scheme = s.indexOf(':');
        boolean hasAuthority = s.startsWith("//", scheme + 1);
        int open = s.indexOf('[');
        int close = s.indexOf(']');
        if (!hasAuthority) {
            return open < 0 && close < 0;
        }
        int start = scheme + 3;
        int end = start;
        while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        String authority = s.substring(start, end);
        if ((open >= 0 && (open < start || open >= end)) || (close >= 0 && (close < start || close >= end))) {
            return false;
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.indexOf('@') >= 0) {
            return false;
        }
        String port;
        if (hostPort.startsWith("[")) {
            int end6 = hostPort.indexOf(']');
            if (end6 < 0 || hostPort.indexOf('[', 1) >= 0 || hostPort.indexOf(']', end6 + 1) >= 0) {
                return false;
            }
            String rest = hostPort.substring(end6 + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return false;
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            if (open >= 0 || close >= 0) {
                return false;
            }
            int colon = hostPort.indexOf(':');
            port = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        for (int i = 0; i < port.length(); i++) {
            if (!isDigit(port.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    private static int pow10(int e) {
        int v = 1;
        for (int i = 0; i < e; i++) {
            v *= 10;
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
