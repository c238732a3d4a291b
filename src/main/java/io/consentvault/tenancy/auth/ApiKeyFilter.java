package io.consentvault.tenancy.auth;

import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;

/**
 * Authenticates every REST request before its resource method runs ({@link Authenticator}): the admin resources ({@link AdminToken}) by
 * {@code CONSENT_ADMIN_TOKEN}, every other resource method by an API key allowed the method's {@link Scope} (a method
 * without one is 403 to every key), and tells {@link Caller} who it is.
 */
public class ApiKeyFilter {

    private final Authenticator authenticator;
    private final Caller caller;

    public ApiKeyFilter(Authenticator authenticator, Caller caller) {
        this.authenticator = authenticator;
        this.caller = caller;
    }

    @ServerRequestFilter
    public void authenticate(ResourceInfo resource, HttpServerRequest request) {
        // decided by the matched resource, not by the path's text: fails closed for any route without a scope
        if (resource.getResourceClass().isAnnotationPresent(AdminToken.class)) {
            authenticator.admin(request);
            return;
        }
        Scope scope = resource.getResourceMethod() == null
                ? null
                : resource.getResourceMethod().getAnnotation(Scope.class);
        if (scope == null && resource.getResourceMethod() != null) {
            scope = resource.getResourceClass().getAnnotation(Scope.class);
        }
        KeyRegistry.KeyInfo key = authenticator.key(request, scope == null ? null : scope.value());
        caller.set(key.organizationId(), key.id());
    }
}
