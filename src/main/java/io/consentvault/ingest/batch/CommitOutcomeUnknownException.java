package io.consentvault.ingest.batch;

/**
 * The connection was lost after a batch's COMMIT was sent and before its answer arrived: the batch may or may not be
 * stored. Retried like any transient failure (the retry writes only what is missing); if the deadline passes first,
 * the event is answered as possibly stored, never as "nothing was stored".
 */
public class CommitOutcomeUnknownException extends RuntimeException {

    public CommitOutcomeUnknownException(Throwable cause) {
        super("commit outcome unknown: " + cause.getMessage(), cause, false, false);
    }
}
