package io.consentvault.archfixture;

import io.consentvault.archfixture.ingest.IngestService;

/** Breaks rule 5: the entry point reaches into a feature. */
public final class MainUsingAFeature {

    private MainUsingAFeature() {
    }

    public static String start() {
        return IngestService.ingest("event");
    }
}
