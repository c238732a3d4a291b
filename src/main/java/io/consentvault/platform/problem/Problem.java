package io.consentvault.platform.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An RFC 9457 problem document, as every error of the service is answered. */
@RegisterForReflection(ignoreNested = false)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem(typeFor(status), title, status, detail, List.of());
    }

    /** A problem naming the fields at fault, with any status (403 for another organization's id, ...). */
    public static Problem of(int status, String title, String detail, List<FieldError> errors) {
        return new Problem(typeFor(status), title, status, detail, List.copyOf(errors));
    }

    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).message() : errors.size() + " fields are invalid";
        return new Problem(typeFor(400), "Invalid request", 400, detail, List.copyOf(errors));
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
            default -> "about:blank";
        };
    }
}
