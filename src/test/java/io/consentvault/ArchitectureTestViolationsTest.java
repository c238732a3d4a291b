package io.consentvault;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

import io.consentvault.archfixture.FixtureMain;
import io.consentvault.archfixture.MainUsingAFeature;
import io.consentvault.archfixture.core.CoreUsingPlatform;
import io.consentvault.archfixture.core.Decision;
import io.consentvault.archfixture.ingest.AdminEndpoint;
import io.consentvault.archfixture.ingest.ConsentRoutes;
import io.consentvault.archfixture.ingest.CycleIngestToState;
import io.consentvault.archfixture.ingest.IngestService;
import io.consentvault.archfixture.ingest.rest.EventResource;
import io.consentvault.archfixture.ingest.rest.EventView;
import io.consentvault.archfixture.platform.PlatformUsingAFeature;
import io.consentvault.archfixture.platform.Problems;
import io.consentvault.archfixture.state.CycleStateToIngest;
import io.consentvault.archfixture.state.StateService;
import io.consentvault.archfixture.state.StateUsingIngestRest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule of {@link ArchitectureTest}, built for the fixture layout under {@code io.consentvault.archfixture}: it
 * passes on the layout as it should be, and fails, naming the offending dependency, once one deliberate violation is
 * added. So a green {@link ArchitectureTest} means the service keeps the rules, not that the rules check nothing.
 */
class ArchitectureTestViolationsTest {

    private static final String ROOT = "io.consentvault.archfixture";
    private static final List<Class<?>> LAYOUT = List.of(FixtureMain.class, Decision.class, Problems.class,
            IngestService.class, ConsentRoutes.class, AdminEndpoint.class, EventResource.class, EventView.class,
            StateService.class);

    @Test
    void theLayoutAsItShouldBeKeepsEveryRule() {
        JavaClasses layout = layoutWith();
        for (ArchRule rule : List.of(ArchitectureTest.topLevelPackagesHaveNoCycles(ROOT),
                ArchitectureTest.platformDependsOnNoOtherPackage(ROOT),
                ArchitectureTest.coreDependsOnNoOtherPackage(ROOT),
                ArchitectureTest.restClassesAreUsedOnlyInTheirFeature(ROOT),
                ArchitectureTest.entryPointDependsOnlyOnPlatform(ROOT))) {
            EvaluationResult result = rule.evaluate(layout);
            assertFalse(result.hasViolation(), () -> report(result));
        }
    }

    @Test
    void rule1FailsOnACycleBetweenTwoFeatures() {
        EvaluationResult result = ArchitectureTest.topLevelPackagesHaveNoCycles(ROOT)
                .evaluate(layoutWith(CycleIngestToState.class, CycleStateToIngest.class));
        assertReports(result, "Cycle detected: ingest -> ",
                call(CycleIngestToState.class, "latest()", StateService.class, "latest(java.lang.String)"),
                call(CycleStateToIngest.class, "replay()", IngestService.class, "ingest(java.lang.String)"));
    }

    @Test
    void rule2FailsWhenPlatformUsesAFeature() {
        EvaluationResult result = ArchitectureTest.platformDependsOnNoOtherPackage(ROOT)
                .evaluate(layoutWith(PlatformUsingAFeature.class));
        assertReports(result,
                call(PlatformUsingAFeature.class, "ready()", IngestService.class, "ingest(java.lang.String)"));
    }

    @Test
    void rule3FailsWhenCoreUsesPlatform() {
        EvaluationResult result = ArchitectureTest.coreDependsOnNoOtherPackage(ROOT)
                .evaluate(layoutWith(CoreUsingPlatform.class));
        assertReports(result, call(CoreUsingPlatform.class, "explain()", Problems.class, "notFound()"));
    }

    @Test
    void rule4FailsWhenAFeatureUsesAnotherFeaturesRestClasses() {
        EvaluationResult result = ArchitectureTest.restClassesAreUsedOnlyInTheirFeature(ROOT)
                .evaluate(layoutWith(StateUsingIngestRest.class));
        // one of each kind: by package (rest), by name (*Routes), by annotation (@Path)
        assertReports(result, "calls method <" + EventView.class.getName() + ".id()>",
                "calls method <" + ConsentRoutes.class.getName() + ".events()>",
                "has parameter of type <" + AdminEndpoint.class.getName() + ">");
    }

    @Test
    void rule5FailsWhenTheEntryPointUsesAFeature() {
        EvaluationResult result = ArchitectureTest.entryPointDependsOnlyOnPlatform(ROOT)
                .evaluate(layoutWith(MainUsingAFeature.class));
        assertReports(result,
                call(MainUsingAFeature.class, "start()", IngestService.class, "ingest(java.lang.String)"));
    }

    private static JavaClasses layoutWith(Class<?>... violations) {
        Class<?>[] classes = new Class<?>[LAYOUT.size() + violations.length];
        for (int i = 0; i < LAYOUT.size(); i++) {
            classes[i] = LAYOUT.get(i);
        }
        System.arraycopy(violations, 0, classes, LAYOUT.size(), violations.length);
        return new ClassFileImporter().importClasses(classes);
    }

    private static void assertReports(EvaluationResult result, String... expected) {
        String report = report(result);
        assertTrue(result.hasViolation(), "the rule let the violation pass");
        for (String text : expected) {
            assertTrue(report.contains(text), () -> "the report does not name <" + text + ">:\n" + report);
        }
    }

    /** How ArchUnit reports one method calling another. */
    private static String call(Class<?> caller, String method, Class<?> callee, String calledMethod) {
        return "Method <" + caller.getName() + "." + method + "> calls method <" + callee.getName() + "."
                + calledMethod + ">";
    }

    private static String report(EvaluationResult result) {
        return String.join("\n", result.getFailureReport().getDetails());
    }
}
