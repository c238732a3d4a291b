package io.consentvault.archfixture.ingest.rest;

/** A REST class by its package only. */
public record EventView(String id) {
}
