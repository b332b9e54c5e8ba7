package dev.drydock.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The server's feature packages depend on each other one way (ARCHITECTURE.md): no cycle between the
 * packages directly under {@code dev.drydock.server}, sub-packages counted with their parent; the
 * command line and its benchmarks stay outside the application; one persistence style. That the
 * agent loop stays plain Java is {@code agent.AgentArchitectureTest}'s rule.
 */
@AnalyzeClasses(
        packages = {"dev.drydock.server", "dev.drydock.cli"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule feature_packages_are_free_of_cycles = slices().matching("dev.drydock.server.(*)..")
            .namingSlices("$1")
            .should()
            .beFreeOfCycles();

    /** The command line uses the server's code, never the other way: the application runs without it. */
    @ArchTest
    static final ArchRule server_does_not_depend_on_the_command_line = noClasses()
            .that()
            .resideInAPackage("dev.drydock.server..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.drydock.cli..");

    /**
     * Event streams are {@code Multi}s the framework writes, so it sends the response head before the
     * first event. A stream written through an {@code SseEventSink} from its own thread raced the
     * framework's head: about one stream in forty answered 500 after its first event.
     */
    @ArchTest
    static final ArchRule event_streams_are_written_by_the_framework = noClasses()
            .that()
            .resideInAPackage("dev.drydock.server..")
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("jakarta.ws.rs.sse.SseEventSink");

    /** The benchmarks are {@code ./drydock bench} commands and nothing else: only DrydockCli registers them (ADR "cli-home"). */
    @ArchTest
    static final ArchRule benchmarks_are_kept_apart = noClasses()
            .that()
            .resideOutsideOfPackage("dev.drydock.cli.bench..")
            .and()
            .doNotHaveFullyQualifiedName("dev.drydock.cli.DrydockCli")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.drydock.cli.bench..");

    /**
     * One persistence style (ARCHITECTURE.md, "Persistence"): Panache entities, and native queries
     * through the EntityManager. Raw JDBC ({@code java.sql}, {@code javax.sql}) only where no
     * EntityManager exists yet: {@code appliance}, which creates the database and its roles before
     * the application starts; {@code EventNotifications}, whose {@code LISTEN} holds a connection
     * of its own open; and {@code DatabaseUnavailable}, which only reads {@code java.sql} exception
     * types and SQL states to tell an unreachable database from other failures.
     */
    @ArchTest
    static final ArchRule raw_jdbc_only_where_no_entity_manager_exists = noClasses()
            .that()
            .resideInAPackage("dev.drydock.server..")
            .and()
            .resideOutsideOfPackage("dev.drydock.server.appliance..")
            .and()
            .doNotHaveFullyQualifiedName("dev.drydock.server.eventlog.EventNotifications")
            .and()
            .doNotHaveFullyQualifiedName("dev.drydock.server.problem.DatabaseUnavailable")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.sql..", "javax.sql..");
}
