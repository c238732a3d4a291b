package io.consentvault.archfixture.state;

import io.consentvault.archfixture.core.Decision;

/** Another feature's service: it uses core only. */
public final class StateService {

    private StateService() {
    }

    public static String latest(String user) {
        return user + ":" + Decision.granted();
    }
}
