package io.consentvault.tenancy.auth;

import jakarta.enterprise.context.RequestScoped;

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
        return OrganizationCheck.query(organizationId(), queryOrganizationId);
    }
}
