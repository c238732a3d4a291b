package io.consentvault.tenancy.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;

/**
 * The scope an API key needs: on a REST resource method (or its class), checked by {@code ApiKeyFilter}; on a class of
 * routes answered on the router, read once by {@link Authenticator#scopeOf} and checked on every request.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Scope {

    String EVENTS_WRITE = "events:write";
    String CONSENTS_READ = "consents:read";
    String CONSENTS_ERASE = "consents:erase";
    String VAULT_READ = "vault:read";
    String EXPORTS_MANAGE = "exports:manage";
    Set<String> ALL = Set.of(EVENTS_WRITE, CONSENTS_READ, CONSENTS_ERASE, VAULT_READ, EXPORTS_MANAGE);

    String value();
}
