package io.consentvault.tenancy.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class whose every method is authenticated by {@code CONSENT_ADMIN_TOKEN} instead of an API key.
 * Checked by {@code ApiKeyFilter}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AdminToken {
}
