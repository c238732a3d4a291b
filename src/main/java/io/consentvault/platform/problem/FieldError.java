package io.consentvault.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One reason a request was refused: a JSON Pointer into the body ({@code pointer}) or the name of a query parameter
 * or header ({@code query} / {@code header}), a message for people and, for an error inside a text such as a query
 * clause, the 0-based {@code position} of the offending character.
 */
@RegisterForReflection(ignoreNested = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String pointer, String query, String header, String message, Integer position) {

    public static FieldError at(String pointer, String message) {
        return new FieldError(pointer, null, null, message, null);
    }

    /** An error at {@code position} (0-based) in the text at {@code pointer}. */
    public static FieldError at(String pointer, String message, int position) {
        return new FieldError(pointer, null, null, message, position);
    }

    public static FieldError query(String name, String message) {
        return new FieldError(null, name, null, message, null);
    }

    /** An error at {@code position} (0-based) in the query parameter's text. */
    public static FieldError query(String name, String message, int position) {
        return new FieldError(null, name, null, message, position);
    }

    public static FieldError header(String name, String message) {
        return new FieldError(null, null, name, message, null);
    }

    /** The same error under a pointer prefix, e.g. {@code /events/0} becomes {@code /3/events/0} in a batch. */
    public FieldError under(String prefix) {
        return pointer == null ? this : new FieldError(prefix + pointer, query, header, message, position);
    }
}
