package io.consentvault.archfixture.platform;

/** The fixture's infrastructure: it uses nothing of the layout. */
public final class Problems {

    private Problems() {
    }

    public static String notFound() {
        return "not-found";
    }
}
