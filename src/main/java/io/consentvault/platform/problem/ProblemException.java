package io.consentvault.platform.problem;

import java.util.List;
import java.util.Map;

/**
 * Thrown (or failed into a {@code Uni}) anywhere a request must end in a problem answer; {@link ProblemMappers} turns
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

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
