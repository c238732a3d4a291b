package io.consentvault.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The profile of the packaged-artifact tier ({@code @QuarkusIntegrationTest}). Quarkus launches what the build
 * produced, {@code target/quarkus-app/quarkus-run.jar} or the native binary when one was built, with the {@code prod}
 * configuration profile (Quarkus's default for this tier, so nothing under {@code %test} applies) and hands it this
 * configuration as system properties: the test database, which {@link PostgresResource} starts in the test JVM so
 * that the test can check what was stored, and the admin token of {@link Api}.
 */
public class PackagedOnTestDatabase implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("consent.admin-token", Api.ADMIN_TOKEN);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class));
    }
}
