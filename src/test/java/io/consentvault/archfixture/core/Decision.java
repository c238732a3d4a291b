package io.consentvault.archfixture.core;

/** The fixture's core model: it uses nothing of the layout. */
public final class Decision {

    private Decision() {
    }

    public static String granted() {
        return "granted";
    }
}
