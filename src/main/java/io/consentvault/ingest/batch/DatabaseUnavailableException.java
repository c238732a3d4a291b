package io.consentvault.ingest.batch;

/** The database stayed unreachable for the whole retry window; the batch was not committed. */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(Throwable cause) {
        super("database unavailable: " + cause.getMessage(), cause, false, false);
    }
}
