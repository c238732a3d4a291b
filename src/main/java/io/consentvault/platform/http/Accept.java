package io.consentvault.platform.http;

/**
 * Content negotiation for the routes answered on the router itself, as the REST layer does it: a request may leave
 * {@code Accept} out, or must accept JSON ({@code application/json}, {@code application/*} or {@code *}{@code /*}
 * with a q above 0).
 */
public final class Accept {

    private Accept() {
    }

    public static boolean json(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            if ((type.equals("application/json") || type.equals("application/*") || type.equals("*/*"))
                    && quality(parts) > 0) {
                return true;
            }
        }
        return false;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.regionMatches(true, 0, "q=", 0, 2)) {
                try {
                    return Double.parseDouble(p.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
