package io.consentvault.platform.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem document, as every error of the service is answered. At most {@link #MAX_ERRORS} field errors
 * are listed; {@code omitted_errors} says how many more there were, so that a hostile body cannot make the answer
 * larger than the request.
 */
@RegisterForReflection(ignoreNested = false)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
        Integer omittedErrors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final int MAX_ERRORS = 100;

    public static Problem of(int status, String title, String detail) {
        return new Problem(typeFor(status), title, status, detail, List.of(), null);
    }

    /** A problem naming the fields at fault, with any status (403 for another organization's id, ...). */
    public static Problem of(int status, String title, String detail, List<FieldError> errors) {
        return new Problem(typeFor(status), title, status, detail, listed(errors), omitted(errors));
    }

    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).message()
                : errors.size() + " fields are invalid"
                        + (errors.size() > MAX_ERRORS ? "; the first " + MAX_ERRORS + " are listed" : "");
        return new Problem(typeFor(400), "Invalid request", 400, detail, listed(errors), omitted(errors));
    }

    /** The errors an answer lists: the first {@link #MAX_ERRORS}. */
    public static List<FieldError> listed(List<FieldError> errors) {
        return List.copyOf(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
    }

    /** How many errors an answer leaves out, or null when it lists them all. */
    public static Integer omitted(List<FieldError> errors) {
        return errors.size() > MAX_ERRORS ? errors.size() - MAX_ERRORS : null;
    }

    private static String typeFor(int status) {
        return switch (status) {
            case 400 -> "https://consent-vault.dev/problems/invalid-request";
            case 401 -> "https://consent-vault.dev/problems/unauthenticated";
            case 403 -> "https://consent-vault.dev/problems/forbidden";
            case 404 -> "https://consent-vault.dev/problems/not-found";
            case 413 -> "https://consent-vault.dev/problems/body-too-large";
            case 415 -> "https://consent-vault.dev/problems/unsupported-media-type";
            case 503 -> "https://consent-vault.dev/problems/unavailable";
            case 504 -> "https://consent-vault.dev/problems/outcome-unknown";
            default -> "about:blank";
        };
    }
}
