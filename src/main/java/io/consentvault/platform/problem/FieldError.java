package io.consentvault.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One reason a request was refused: a JSON Pointer into the body ({@code pointer}) or the name of a query parameter
 * or header ({@code query} / {@code header}), and a message for people.
 */
@RegisterForReflection(ignoreNested = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String pointer, String query, String header, String message) {

    public static FieldError at(String pointer, String message) {
        return new FieldError(pointer, null, null, message);
    }

    public static FieldError query(String name, String message) {
        return new FieldError(null, name, null, message);
    }

    public static FieldError header(String name, String message) {
        return new FieldError(null, null, name, message);
    }

    /** The same error under a pointer prefix, e.g. {@code /events/0} becomes {@code /3/events/0} in a batch. */
    public FieldError under(String prefix) {
        return pointer == null ? this : new FieldError(prefix + pointer, query, header, message);
    }
}
