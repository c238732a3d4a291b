package io.consentvault.archfixture.ingest;

import io.consentvault.archfixture.core.Decision;
import io.consentvault.archfixture.platform.Problems;

/** A feature's service: it uses core and platform. */
public final class IngestService {

    private IngestService() {
    }

    public static String ingest(String event) {
        return event.isEmpty() ? Problems.notFound() : Decision.granted();
    }
}
