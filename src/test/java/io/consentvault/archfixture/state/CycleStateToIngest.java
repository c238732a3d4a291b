package io.consentvault.archfixture.state;

import io.consentvault.archfixture.ingest.IngestService;

/** Half of a cycle that breaks rule 1: state uses ingest (and {@code ingest.CycleIngestToState} uses state). */
public final class CycleStateToIngest {

    private CycleStateToIngest() {
    }

    public static String replay() {
        return IngestService.ingest("replayed");
    }
}
