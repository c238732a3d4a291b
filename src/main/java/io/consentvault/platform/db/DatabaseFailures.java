package io.consentvault.platform.db;

import java.util.concurrent.CompletionException;

import io.vertx.pgclient.PgException;

/** What a failure from the reactive PostgreSQL client says about the database. The one place that classifies them. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** The database could not be reached: connection refused or lost, server shutting down or out of resources. */
    public static boolean unreachable(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (e instanceof PgException pg) {
            String state = pg.getSqlState();
            return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"));
        }
        return e instanceof io.vertx.core.VertxException || e instanceof java.io.IOException;
    }

    /** Worth trying again as it is: unreachable, or a serialization failure or deadlock; bad data is not. */
    public static boolean transientFailure(Throwable failure) {
        if (failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().equals("40001") || pg.getSqlState().equals("40P01"))) {
            return true;
        }
        return unreachable(failure);
    }
}
