package io.consentvault.archfixture.state;

import io.consentvault.archfixture.ingest.AdminEndpoint;
import io.consentvault.archfixture.ingest.ConsentRoutes;
import io.consentvault.archfixture.ingest.rest.EventView;

/** Breaks rule 4 three times: state uses ingest's REST classes, one of each kind (package, name, {@code @Path}). */
public final class StateUsingIngestRest {

    private StateUsingIngestRest() {
    }

    public static String describe(EventView view, AdminEndpoint admin) {
        return view.id() + ConsentRoutes.events() + admin;
    }
}
