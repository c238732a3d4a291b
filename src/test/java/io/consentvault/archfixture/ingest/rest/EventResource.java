package io.consentvault.archfixture.ingest.rest;

import io.consentvault.archfixture.ingest.IngestService;

/** A feature's resource: it uses its own feature's service and REST classes, which rule 4 allows. */
public final class EventResource {

    private EventResource() {
    }

    public static EventView post(String event) {
        return new EventView(IngestService.ingest(event));
    }
}
