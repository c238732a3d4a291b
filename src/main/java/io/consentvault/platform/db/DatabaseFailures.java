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

    /**
     * The database refused a value of the request as text it cannot hold (U+0000, SQLSTATE 22021, or a character the
     * database's encoding lacks, 22P05): bad input, wherever in the cause chain the driver or the ORM wrapped it.
     */
    public static boolean unstorableText(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            String state = e instanceof PgException pg
                    ? pg.getSqlState()
                    : e instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
            if (state != null) {
                return "22021".equals(state) || "22P05".equals(state);
            }
        }
        return false;
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
