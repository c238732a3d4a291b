package io.consentvault.platform.problem;

import java.util.List;
import java.util.Map;

/**
 * Thrown (or failed into a {@code Uni}) anywhere a request must end in a problem answer; {@code ProblemMappers} turns
 * it into the HTTP response. Carries optional extra headers such as {@code Retry-After}.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public static ProblemException invalid(List<FieldError> errors) {
        return new ProblemException(Problem.invalid(errors));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, "Not found", detail));
    }

    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(Problem.of(503, "Service unavailable", detail),
                Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /**
     * 504: the database took the commit but its answer was lost, and the retries ran out of time. Unlike 503, the
     * event may be stored, under the id the answer names. With a client {@code id} or an {@code Idempotency-Key} a
     * retry is safe (it answers the stored event, or stores it once); without either, nothing can tell a retry from a
     * new event, and the answer says so.
     */
    public static ProblemException outcomeUnknown(String eventId, boolean retrySafe, int retryAfterSeconds) {
        String id = eventId.length() > 256 ? "it was sent with" : eventId.replaceAll("\\p{Cntrl}", "?");
        String detail = "the database did not confirm the commit in time: the event may be stored under the id " + id
                + (retrySafe
                        ? "; a retry with the same id or Idempotency-Key answers the stored event or stores it once"
                        : "; the request carried no id or Idempotency-Key, so a retry may store it twice (send an id"
                                + " with every event to make retries safe)");
        return new ProblemException(Problem.of(504, "Outcome unknown", detail),
                Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
