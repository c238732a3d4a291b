package io.consentvault.archfixture.platform;

import io.consentvault.archfixture.ingest.IngestService;

/** Breaks rule 2: platform reaches into a feature. */
public final class PlatformUsingAFeature {

    private PlatformUsingAFeature() {
    }

    public static String ready() {
        return IngestService.ingest("probe");
    }
}
