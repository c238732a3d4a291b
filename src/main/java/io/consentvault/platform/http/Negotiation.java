package io.consentvault.platform.http;

import io.consentvault.platform.problem.Problem;
import io.consentvault.platform.problem.ProblemException;

/**
 * Content negotiation for the routes answered on the router itself, as the REST layer does it: a body must be
 * {@code application/json} (parameters allowed), else 415; a request may leave {@code Accept} out or must accept JSON
 * ({@code application/json}, {@code application/*} or {@code *}{@code /*} with a q above 0), else 406. The common
 * headers are checked without allocating.
 */
public final class Negotiation {

    public static final String NOT_ACCEPTABLE = "only application/json answers are available";
    public static final String UNSUPPORTED_TYPE = "unsupported content type; send application/json";
    private static final String JSON = "application/json";

    private Negotiation() {
    }

    /** 406 unless the client accepts a JSON answer. */
    public static void requireJsonAnswer(String accept) {
        if (!acceptsJson(accept)) {
            throw new ProblemException(Problem.of(406, "Not Acceptable", NOT_ACCEPTABLE));
        }
    }

    /** 415 unless the body is JSON. */
    public static void requireJsonBody(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, JSON, 0, JSON.length())
                || (contentType.length() > JSON.length() && contentType.charAt(JSON.length()) != ';'
                        && !Character.isWhitespace(contentType.charAt(JSON.length())))) {
            throw new ProblemException(Problem.of(415, "Unsupported Media Type", UNSUPPORTED_TYPE));
        }
    }

    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank() || accept.equals(JSON) || accept.equals("*/*")) {
            return true;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            if ((type.equals(JSON) || type.equals("application/*") || type.equals("*/*")) && quality(parts) > 0) {
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
