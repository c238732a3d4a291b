package io.consentvault.archfixture.ingest;

import io.consentvault.archfixture.state.StateService;

/** Half of a cycle that breaks rule 1: ingest uses state (and {@code state.CycleStateToIngest} uses ingest). */
public final class CycleIngestToState {

    private CycleIngestToState() {
    }

    public static String latest() {
        return StateService.latest("user");
    }
}
