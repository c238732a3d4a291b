package io.consentvault.tenancy.auth;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;

import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.Problem;
import io.consentvault.platform.problem.ProblemException;

/**
 * Who is calling: the organization and key the request was authenticated with (set by {@link ApiKeyFilter} before any
 * resource method runs). Resources ask it for the organization; it is never taken from the request alone.
 */
@RequestScoped
public class Caller {

    private String organizationId;
    private String keyId;

    void set(String organizationId, String keyId) {
        this.organizationId = organizationId;
        this.keyId = keyId;
    }

    public String organizationId() {
        if (organizationId == null) {
            throw new IllegalStateException("no authenticated caller");
        }
        return organizationId;
    }

    public String keyId() {
        return keyId;
    }

    /** The caller's organization, checking that a query's {@code organization_id} (when given) names the same one. */
    public String organization(String queryOrganizationId) {
        if (queryOrganizationId != null && !queryOrganizationId.equals(organizationId())) {
            throw forbiddenOrganization(FieldError.query("organization_id", "is not the organization of this key"));
        }
        return organizationId();
    }

    public static ProblemException forbiddenOrganization(FieldError error) {
        return new ProblemException(
                Problem.of(403, "Forbidden", "the organization_id is not the organization of this key",
                        List.of(error)));
    }
}
