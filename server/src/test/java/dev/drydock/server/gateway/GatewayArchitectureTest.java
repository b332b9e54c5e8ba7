package dev.drydock.server.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The gateway core stays plain Java so the CLI and benchmarks reuse it without Quarkus. */
@AnalyzeClasses(
        packages = {"dev.drydock.server.gateway", "dev.drydock.server.egress"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class GatewayArchitectureTest {
    @ArchTest
    static final ArchRule core_is_framework_free = noClasses()
            .that()
            .resideInAnyPackage("..gateway.core..", "..gateway.toolcall..", "..gateway.dlp..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta..", "io.quarkus..", "io.vertx..", "io.smallrye..", "org.jboss..");

    @ArchTest
    static final ArchRule egress_guard_is_framework_free = noClasses()
            .that()
            .haveSimpleName("EgressGuard")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("jakarta..", "io.quarkus..", "io.vertx..");

    @ArchTest
    static final ArchRule only_egress_guard_builds_http_clients = noClasses()
            .that()
            .resideOutsideOfPackage("..server.egress..")
            .should()
            .callMethod(java.net.http.HttpClient.class, "newBuilder")
            .orShould()
            .callMethod(java.net.http.HttpClient.class, "newHttpClient");
}
