/**
 * A miniature of the service's layout for {@code ArchitectureTestViolationsTest}: never part of the service, only
 * classes for the architecture rules to read. Each class whose name says what it does wrong
 * ({@code CycleIngestToState} with {@code CycleStateToIngest}, {@code PlatformUsingAFeature}, {@code CoreUsingPlatform},
 * {@code StateUsingIngestRest}, {@code MainUsingAFeature}) breaks exactly that rule; every other class keeps all of
 * them. They call methods rather than read constants: javac copies a constant into its user, and the rules would see
 * no dependency.
 */
package io.consentvault.archfixture;
