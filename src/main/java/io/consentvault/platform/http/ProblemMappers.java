package io.consentvault.platform.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.platform.db.DatabaseFailures;
import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.Problem;
import io.consentvault.platform.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one place that turns failures into RFC 9457 answers: as REST exception mappers, and through {@link #send} for
 * the few routes answered on the router itself. Unexpected failures are logged with their stack and answered 500
 * without internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final Problem NOT_JSON = Problem
            .invalid(java.util.List.of(FieldError.at("", "body is not valid JSON")));
    private static final Problem UNSTORABLE = Problem.invalid(java.util.List
            .of(FieldError.at("", "a value holds a character that cannot be stored or searched (U+0000)")));
    private static final ProblemException DATABASE_AWAY = ProblemException
            .unavailable("the database cannot be reached; retry shortly", 1);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder builder = respond(e.problem());
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return respond(NOT_JSON).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : "Error";
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> Negotiation.NOT_ACCEPTABLE;
            case 413 -> "the request body is larger than the limit";
            case 415 -> Negotiation.UNSUPPORTED_TYPE;
            default -> e.getMessage();
        };
        Response.ResponseBuilder builder = respond(Problem.of(status, title, detail));
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        if (DatabaseFailures.unreachable(e)) {
            return respond(DATABASE_AWAY.problem()).header("Retry-After", "1").build();
        }
        if (DatabaseFailures.unstorableText(e)) {
            return respond(UNSTORABLE).build();
        }
        return respond(logUnexpected(e)).build();
    }

    /** Answers a failure on a route of the router (not REST), as the mappers above would. */
    public static void send(HttpServerResponse response, Throwable failure, ObjectMapper mapper) {
        if (response.ended() || response.closed()) {
            return;
        }
        Problem problem;
        if (failure instanceof ProblemException e) {
            problem = e.problem();
            e.headers().forEach(response::putHeader);
        } else if (failure instanceof JsonProcessingException) {
            problem = NOT_JSON;
        } else if (DatabaseFailures.unreachable(failure)) {
            problem = DATABASE_AWAY.problem();
            DATABASE_AWAY.headers().forEach(response::putHeader);
        } else if (DatabaseFailures.unstorableText(failure)) {
            problem = UNSTORABLE;
        } else {
            problem = logUnexpected(failure);
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Buffer.buffer(body));
    }

    /** A method the route does not have: 405 naming the ones it has (OPTIONS is answered 204 with them). */
    public static void notAllowed(io.vertx.ext.web.RoutingContext rc, String allow, ObjectMapper mapper) {
        rc.response().putHeader("Allow", allow);
        if (rc.request().method() == io.vertx.core.http.HttpMethod.OPTIONS) {
            rc.response().setStatusCode(204).end();
            return;
        }
        send(rc.response(), new ProblemException(
                Problem.of(405, "Method Not Allowed", "method not allowed on this resource")), mapper);
    }

    private static Problem logUnexpected(Throwable e) {
        // the class and where it happened, not the message: messages can quote request data
        StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        LOG.errorf("unexpected failure: %s at %s", e.getClass().getName(), at);
        LOG.debug("unexpected failure, in full", e);
        return Problem.of(500, "Internal error", "the request could not be processed");
    }

    private static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }
}
