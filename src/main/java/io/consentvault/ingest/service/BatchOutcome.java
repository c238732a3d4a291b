package io.consentvault.ingest.service;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.consentvault.ingest.batch.IngestResult;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer of the batch endpoint: counts, and one result per event in request order. */
@RegisterForReflection(ignoreNested = false)
public record BatchOutcome(int accepted, int rejected, List<Item> results) {

    static BatchOutcome of(List<Item> items) {
        int ok = (int) items.stream().filter(i -> i.id() != null).count();
        return new BatchOutcome(ok, items.size() - ok, items);
    }

    /** An accepted event ({@code id}, {@code received_at}) or a refused one ({@code status}, {@code errors}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, String id, java.time.Instant receivedAt, Boolean replayed, Integer status,
            List<FieldError> errors, Integer omittedErrors) {

        static Item stored(int index, IngestResult result) {
            return new Item(index, result.id(), result.receivedAt(), result.replayed() ? Boolean.TRUE : null, null,
                    null, null);
        }

        /** At most {@link Problem#MAX_ERRORS} errors are listed, as in a problem document. */
        static Item refused(int index, int status, List<FieldError> errors) {
            return new Item(index, null, null, null, status, Problem.listed(errors), Problem.omitted(errors));
        }
    }
}
