package io.consentvault.tenancy.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** An API key of one organization: its public id, the hash of its secret, and its scopes. */
@Entity
@Table(name = "api_keys")
public class ApiKey extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "organization_id")
    public String organizationId;

    public String name;

    @Column(name = "secret_hash")
    public String secretHash;

    /** Space separated. */
    public String scopes;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
