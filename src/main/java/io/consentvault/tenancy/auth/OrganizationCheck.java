package io.consentvault.tenancy.auth;

import java.util.List;

import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.Problem;
import io.consentvault.platform.problem.ProblemException;

/**
 * The "not this key's organization" check, in one place: a key acts for its own organization only, so an
 * {@code organization_id} a request names (in its query or its body) must be the key's, or the request is refused with
 * 403 naming the field. Every route takes the organization from the key, never from the request alone.
 */
public final class OrganizationCheck {

    static final String WRONG = "is not the organization of this key";

    private OrganizationCheck() {
    }

    /** Whether a request may name this organization: when it names one at all, it must be the key's. */
    public static boolean allows(String keyOrganization, String named) {
        return named == null || named.equals(keyOrganization);
    }

    /** The key's organization, refusing a query's {@code organization_id} that names another. */
    public static String query(String keyOrganization, String named) {
        if (!allows(keyOrganization, named)) {
            throw forbidden(FieldError.query("organization_id", WRONG));
        }
        return keyOrganization;
    }

    /** The key's organization, refusing a body's {@code organization_id} (at {@code pointer}) that names another. */
    public static String body(String keyOrganization, String named, String pointer) {
        if (!allows(keyOrganization, named)) {
            throw forbidden(inBody(pointer));
        }
        return keyOrganization;
    }

    /** The error of a body's {@code organization_id} (at {@code pointer}) that names another organization. */
    public static FieldError inBody(String pointer) {
        return FieldError.at(pointer, WRONG);
    }

    public static ProblemException forbidden(FieldError error) {
        return new ProblemException(
                Problem.of(403, "Forbidden", "the organization_id is not the organization of this key",
                        List.of(error)));
    }
}
