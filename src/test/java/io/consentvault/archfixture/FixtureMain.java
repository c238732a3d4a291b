package io.consentvault.archfixture;

import io.consentvault.archfixture.platform.Problems;

/** The entry point of the fixture layout: it uses platform only. */
public final class FixtureMain {

    private FixtureMain() {
    }

    public static String start() {
        return Problems.notFound();
    }
}
