package dev.drydock.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** The sandbox manager's architecture invariants. */
@AnalyzeClasses(packages = "dev.drydock.sandbox", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule only_kubernetes_knows_fabric8 = noClasses()
            .that()
            .resideOutsideOfPackages("..sandbox.kubernetes..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.fabric8..");

    @ArchTest
    static final ArchRule only_bubblewrap_and_runner_start_processes = noClasses()
            .that()
            .resideOutsideOfPackages("..sandbox.bubblewrap..", "..sandbox.runner..")
            .should()
            .dependOnClassesThat()
            .areAssignableTo(ProcessBuilder.class);

    @ArchTest
    static final ArchRule api_and_workspace_and_runner_are_jdk_only = noClasses()
            .that()
            .resideInAnyPackage("dev.drydock.sandbox", "..sandbox.workspace..", "..sandbox.runner..")
            .should()
            .dependOnClassesThat()
            .resideOutsideOfPackages(
                    "java..",
                    "javax..",
                    "jdk..",
                    "com.sun.net.httpserver..",
                    "dev.drydock.sandbox",
                    "..sandbox.workspace..",
                    "..sandbox.runner..",
                    // JSpecify's nullness annotations (@NullMarked, @Nullable) carry no behaviour and are not needed at
                    // run time
                    "org.jspecify.annotations..");

    @ArchTest
    static final ArchRule api_does_not_know_backends = noClasses()
            .that()
            .resideInAPackage("dev.drydock.sandbox")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..sandbox.bubblewrap..", "..sandbox.kubernetes..", "..sandbox.select..");

    @ArchTest
    static final ArchRule backends_are_independent =
            slices().matching("dev.drydock.sandbox.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule no_std_streams = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

    @ArchTest
    static final ArchRule no_jul = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
}
