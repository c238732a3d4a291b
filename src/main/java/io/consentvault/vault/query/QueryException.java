package io.consentvault.vault.query;

/**
 * A clause that is not in the query language: a message for people and the 0-based position of the offending
 * character, counted in Unicode code points (not UTF-16 units) from the start of the clause. The position equals the
 * clause's length when the clause ended where something more was needed.
 * <p>
 * The vault's REST layer answers it as a 400 with {@code {"query": "where", "message", "position"}} (or
 * {@code "pointer": "/query"}). It carries no stack trace: it reports a client's input, not a fault of ours.
 */
public final class QueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    public QueryException(String message, int position) {
        super(message, null, false, false);
        this.position = position;
    }

    /** The 0-based offset, in code points, of the offending character. */
    public int position() {
        return position;
    }

    @Override
    public String toString() {
        return "QueryException at " + position + ": " + getMessage();
    }
}
