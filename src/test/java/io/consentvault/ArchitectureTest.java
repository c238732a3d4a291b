package io.consentvault;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layout, checked on the service's own classes (tests excluded). Every top-level package is a feature
 * ({@code ingest}, {@code state}, {@code privacy}, {@code tenancy}, {@code storage}, ...) except two: {@code core},
 * the feature-neutral model every feature shares, and {@code platform}, the infrastructure (db, embedded, http, json,
 * notify, problem). The rules name only those two, so a new feature is covered the day its package appears.
 * <p>
 * Each rule is built from the root package by a method, so that {@code ArchitectureTestViolationsTest} can run the very
 * same rule on deliberate violations under {@code io.consentvault.archfixture} and show that it fails.
 */
@AnalyzeClasses(packages = ArchitectureTest.ROOT, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String ROOT = "io.consentvault";

    @ArchTest
    static final ArchRule topLevelPackagesHaveNoCycles = topLevelPackagesHaveNoCycles(ROOT);

    @ArchTest
    static final ArchRule platformDependsOnNoOtherPackage = platformDependsOnNoOtherPackage(ROOT);

    @ArchTest
    static final ArchRule coreDependsOnNoOtherPackage = coreDependsOnNoOtherPackage(ROOT);

    @ArchTest
    static final ArchRule restClassesAreUsedOnlyInTheirFeature = restClassesAreUsedOnlyInTheirFeature(ROOT);

    @ArchTest
    static final ArchRule entryPointDependsOnlyOnPlatform = entryPointDependsOnlyOnPlatform(ROOT);

    /** Rule 1: no cycle between the top-level packages. */
    static ArchRule topLevelPackagesHaveNoCycles(String root) {
        return slices().matching(root + ".(*)..").namingSlices("$1").should().beFreeOfCycles()
                .because("a feature that needs another's class and is needed back cannot be read, tested or moved "
                        + "alone: what both need belongs in core, or behind a small interface one of them offers");
    }

    /** Rule 2: platform uses nothing of the service outside platform (no feature, not core either). */
    static ArchRule platformDependsOnNoOtherPackage(String root) {
        return noClasses().that().resideInAPackage(root + ".platform..").should()
                .dependOnClassesThat(outside(root, "platform"))
                .because("platform is infrastructure every feature builds on; it knows no feature, so a new feature "
                        + "never has to change it");
    }

    /** Rule 3: core uses nothing of the service outside core. */
    static ArchRule coreDependsOnNoOtherPackage(String root) {
        return noClasses().that().resideInAPackage(root + ".core..").should().dependOnClassesThat(outside(root, "core"))
                .because("core is the feature-neutral model every feature shares: it depends on no feature and "
                        + "not on platform, or the features would share those too");
    }

    /**
     * Rule 4: a REST class (in a {@code rest} package, annotated with {@code @Path}, or named {@code *Resource},
     * {@code *Route}, {@code *Routes}) is used only from its own top-level package.
     */
    static ArchRule restClassesAreUsedOnlyInTheirFeature(String root) {
        return classes().that(areRest()).should(beUsedOnlyFromTheirOwnTopLevelPackage(root))
                .because("a resource only maps HTTP for its feature; another feature goes through core or a small "
                        + "interface the feature offers, not through its REST layer");
    }

    /** Rule 5: the entry point (the root package, {@code ConsentVaultMain}) depends on platform only. */
    static ArchRule entryPointDependsOnlyOnPlatform(String root) {
        return classes().that().resideInAPackage(root).should()
                .onlyDependOnClassesThat(resideOutsideOfPackage(root + "..")
                        .or(resideInAnyPackage(root, root + ".platform.."))
                        .as("are outside " + root + ", or in " + root + " itself or in its platform"))
                .because("the entry point only brings up infrastructure (the embedded database) before Quarkus "
                        + "starts; features are wired by CDI, not by main");
    }

    private static DescribedPredicate<JavaClass> outside(String root, String topLevel) {
        return resideInAPackage(root + "..").and(resideOutsideOfPackage(root + "." + topLevel + ".."))
                .as("are in " + root + " but outside " + root + "." + topLevel);
    }

    private static DescribedPredicate<JavaClass> areRest() {
        return resideInAPackage("..rest..").or(annotatedWith("jakarta.ws.rs.Path"))
                .or(simpleNameEndingWith("Resource")).or(simpleNameEndingWith("Route"))
                .or(simpleNameEndingWith("Routes"))
                .as("are REST classes (in a rest package, annotated with @Path, or named *Resource, *Route, *Routes)");
    }

    private static ArchCondition<JavaClass> beUsedOnlyFromTheirOwnTopLevelPackage(String root) {
        return new ArchCondition<>("be used only from their own top-level package of " + root) {
            @Override
            public void check(JavaClass rest, ConditionEvents events) {
                String feature = topLevelPackage(root, rest);
                for (Dependency use : rest.getDirectDependenciesToSelf()) {
                    JavaClass user = use.getOriginClass();
                    boolean inService = user.getPackageName().equals(root)
                            || user.getPackageName().startsWith(root + ".");
                    if (inService && !topLevelPackage(root, user).equals(feature)) {
                        events.add(SimpleConditionEvent.violated(use, use.getDescription()));
                    }
                }
            }
        };
    }

    /** The first package under the root ({@code ingest} for {@code root.ingest.rest}); empty for the root itself. */
    static String topLevelPackage(String root, JavaClass javaClass) {
        String pkg = javaClass.getPackageName();
        if (!pkg.startsWith(root + ".")) {
            return "";
        }
        String below = pkg.substring(root.length() + 1);
        int dot = below.indexOf('.');
        return dot < 0 ? below : below.substring(0, dot);
    }
}
