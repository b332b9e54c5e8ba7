package dev.drydock.installer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The installer's architecture invariants. */
@AnalyzeClasses(packages = "dev.drydock.installer", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule verification_is_offline = noClasses()
            .that()
            .resideInAPackage("..installer.bundle..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "java.net..",
                    "io.fabric8..",
                    "..installer.helm..",
                    "..installer.push..",
                    "..installer.preflight..");

    @ArchTest
    static final ArchRule only_preflight_and_release_talk_to_kubernetes = noClasses()
            .that()
            .resideOutsideOfPackages("..installer.preflight..", "..installer.release..", "..installer.command..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.fabric8..");

    @ArchTest
    static final ArchRule no_runtime_module = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.drydock.server..", "dev.drydock.sandbox..", "dev.drydock.search..", "dev.drydock.inference..");

    @ArchTest
    static final ArchRule packages_free_of_cycles =
            slices().matching("dev.drydock.installer.(*)..").should().beFreeOfCycles();
}
