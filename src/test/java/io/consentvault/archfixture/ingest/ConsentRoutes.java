package io.consentvault.archfixture.ingest;

/** A REST class by its name only (*Routes), outside a rest package. */
public final class ConsentRoutes {

    private ConsentRoutes() {
    }

    public static String events() {
        return "/events";
    }
}
