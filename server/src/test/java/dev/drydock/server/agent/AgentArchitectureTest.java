package dev.drydock.server.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** The droid runtime's invariants: the loop is pure Java, clock-driven, and knows no JSON library. */
@AnalyzeClasses(packages = "dev.drydock.server.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class AgentArchitectureTest {
    @ArchTest
    static final ArchRule agentIsFrameworkFree = noClasses()
            .that()
            .resideInAPackage("dev.drydock.server.agent..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "jakarta.ws.rs..",
                    "jakarta.persistence..",
                    "io.quarkus..",
                    "com.fasterxml.jackson..",
                    "jakarta.enterprise..",
                    "jakarta.inject..",
                    "dev.drydock.server.session..",
                    "dev.drydock.server.eventlog..",
                    "dev.drydock.server.droid..");

    @ArchTest
    static final ArchRule agentReadsTimeFromItsClock = noClasses()
            .that()
            .resideInAPackage("dev.drydock.server.agent..")
            .should()
            .callMethod(java.time.Instant.class, "now")
            .orShould()
            .callMethod(System.class, "currentTimeMillis");

    @ArchTest
    static final ArchRule noStandardStreams = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
}
