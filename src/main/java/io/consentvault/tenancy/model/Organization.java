package io.consentvault.tenancy.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A customer of the service. Everything it stores is scoped by its id. */
@Entity
@Table(name = "organizations")
public class Organization extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    /** Web origins allowed to use this organization's keys from a browser, space separated; empty allows any. */
    @Column(name = "allowed_origins")
    public String allowedOrigins = "";

    @Column(name = "created_at")
    public Instant createdAt;
}
