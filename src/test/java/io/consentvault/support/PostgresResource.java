package io.consentvault.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the application under test at {@link TestDatabase}. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestDatabase.quarkusConfig();
    }

    @Override
    public void stop() {
        // the server lives as long as the test JVM, shared by every application started in it
    }
}
