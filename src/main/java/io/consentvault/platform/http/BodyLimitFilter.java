package io.consentvault.platform.http;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentvault.platform.problem.Problem;
import io.consentvault.platform.problem.ProblemException;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers an announced oversized body with a 413 problem document before any of it is read. (A chunked body without a
 * length that grows past the limit is still cut by the HTTP layer, with a bare 413.)
 */
@ApplicationScoped
public class BodyLimitFilter {

    private final long limit;
    private final ProblemException tooLarge;
    private final ObjectMapper mapper;

    public BodyLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
            ObjectMapper mapper) {
        this.limit = limit.asLongValue();
        this.mapper = mapper;
        this.tooLarge = new ProblemException(
                Problem.of(413, "Content too large", "the request body is larger than " + this.limit + " bytes"),
                Map.of(HttpHeaders.CONNECTION.toString(), "close"));
    }

    void register(@Observes Router router) {
        router.route().order(-100).handler(this::limit);
    }

    void limit(RoutingContext rc) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length)) {
            ProblemMappers.send(rc.response(), tooLarge, mapper);
            return;
        }
        rc.next();
    }

    private boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
