package dev.drydock.inference;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** The module's invariants: it never touches the network, and only one class creates DJL tokenizers. */
@AnalyzeClasses(
        packages = "dev.drydock.inference",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule never_opens_network_connections = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.net.http..", "javax.net..", "java.nio.channels..")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.net.URL")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.net.URLConnection")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.net.HttpURLConnection")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("java.net.Socket")
            .because("local-inference never touches the network (ARCHITECTURE.md invariant)");

    @ArchTest
    static final ArchRule only_offline_tokenizers_creates_tokenizers = noClasses()
            .that()
            .doNotHaveSimpleName("OfflineTokenizers")
            .should()
            .callMethodWhere(DescribedPredicate.describe(
                    "create a HuggingFace tokenizer",
                    (JavaMethodCall call) -> call.getTargetOwner().isEquivalentTo(HuggingFaceTokenizer.class)
                            && (call.getName().equals("newInstance")
                                    || call.getName().equals("builder"))))
            .because("OfflineTokenizers switches off DJL's telemetry call before a tokenizer exists");

    @ArchTest
    static final ArchRule no_std_streams = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

    @ArchTest
    static final ArchRule no_jul = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
}
