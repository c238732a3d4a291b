package io.consentvault.archfixture.core;

import io.consentvault.archfixture.platform.Problems;

/** Breaks rule 3: core reaches into platform. */
public final class CoreUsingPlatform {

    private CoreUsingPlatform() {
    }

    public static String explain() {
        return Problems.notFound();
    }
}
