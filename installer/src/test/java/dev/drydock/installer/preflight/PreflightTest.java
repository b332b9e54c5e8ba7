package dev.drydock.installer.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.command.PreflightCommand;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code install preflight} against fabric8's mock API server (one per test) and a loopback "registry". */
@EnableKubernetesMockClient(crud = true)
class PreflightTest {
    KubernetesClient client;
    KubernetesMockServer server;
    HttpServer registry;

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.stop(0);
        }
    }

    @Test
    void shouldReportReadyWhenClusterMeetsEveryRequirement() throws IOException {
        // Given
        version("1", "31");
        accessReviews(Set.of());
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("drydock")
                        .endMetadata()
                        .build())
                .create();
        dns("kube-system", "kube-dns", 53);
        client.storage()
                .v1()
                .storageClasses()
                .resource(new StorageClassBuilder()
                        .withNewMetadata()
                        .withName("ceph-rwx")
                        .withAnnotations(Map.of(StorageClassCheck.DEFAULT, "true"))
                        .endMetadata()
                        .withProvisioner("rbd")
                        .build())
                .create();
        client.resource(new RuntimeClassBuilder()
                        .withNewMetadata()
                        .withName("gvisor")
                        .endMetadata()
                        .withHandler("runsc")
                        .build())
                .create();
        daemonSet("kube-system", "calico-node");
        PreflightSettings settings = settings(false, Optional.of("gvisor"), Optional.of(registry()));

        // When
        List<CheckResult> results = Preflight.run(client, settings);

        // Then
        assertThat(results)
                .extracting(CheckResult::check)
                .containsExactly(
                        "kubernetes-version",
                        "namespaces",
                        "rbac",
                        "storage-class",
                        "runtime-class",
                        "network-policy",
                        "dns",
                        "registry");
        assertThat(results)
                .as(PreflightReport.format("mock", results))
                .allMatch(r -> r.status() == CheckResult.Status.PASS);
        assertThat(PreflightReport.format("mock", results)).endsWith("ready to install\n");
    }

    @Test
    void shouldNameEveryBlockerWhenClusterFallsShort() throws IOException {
        // Given
        version("1", "25+");
        accessReviews(Set.of("secrets:delete", "roles:create"));
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("drydock-sandboxes")
                        .endMetadata()
                        .build())
                .create();
        dns("openshift-dns", "dns-default", 5353);
        daemonSet("kube-flannel", "kube-flannel-ds");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        PreflightSettings settings = settings(false, Optional.of("kata"), Optional.of("127.0.0.1:" + closedPort));

        CommandLine cl = InstallerMain.commandLine();
        StringWriter out = new StringWriter();
        cl.getSubcommands().get("preflight").setOut(new PrintWriter(out));
        PreflightCommand command = cl.getSubcommands().get("preflight").getCommand();

        // When
        int exit = command.report(client, settings);

        // Then
        assertThat(exit).isEqualTo(InstallerMain.REJECTED);
        String report = out.toString();
        assertThat(report.lines().filter(l -> l.startsWith("  FAIL  ")).count())
                .as(report)
                .isEqualTo(8);
        assertThat(report)
                .contains("Kubernetes v1.25.0: Drydock needs 1.27 or newer")
                .contains("sandbox namespace drydock-sandboxes exists without Pod Security \"restricted\"")
                .contains("delete secrets in drydock-sandboxes")
                .contains("create rbac.authorization.k8s.io/roles in drydock-sandboxes")
                .doesNotContain("create apps/deployments")
                .contains("no default StorageClass")
                .contains("RuntimeClass kata does not exist")
                .contains("flannel alone does not enforce NetworkPolicy")
                .contains(
                        "openshift-dns/dns-default pods answer on port 5353 but the policies allow 53: set networkPolicy.dns.port: 5353")
                .contains("cannot reach http://127.0.0.1:" + closedPort + "/v2/")
                .endsWith("8 blockers: fix them before installing\n");
    }

    private static PreflightSettings settings(
            boolean openshift, Optional<String> runtimeClass, Optional<String> registry) {
        return new PreflightSettings(
                "drydock",
                "drydock-sandboxes",
                openshift,
                Optional.empty(),
                runtimeClass,
                true,
                Optional.empty(),
                registry,
                true);
    }

    private void version(String major, String minor) {
        server.setVersionInfo(new VersionInfo.Builder()
                .withMajor(major)
                .withMinor(minor)
                .withGitVersion("v" + major + "." + minor.replace("+", "") + ".0")
                .build());
    }

    /** Answers every access review: allowed unless "resource:verb" is in {@code denied}. */
    private void accessReviews(Set<String> denied) {
        KubernetesSerialization json = new KubernetesSerialization();
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
                .andReply(201, request -> {
                    SelfSubjectAccessReview review =
                            json.unmarshal(request.getUtf8Body(), SelfSubjectAccessReview.class);
                    var attributes = review.getSpec().getResourceAttributes();
                    review.setStatus(new SubjectAccessReviewStatusBuilder()
                            .withAllowed(!denied.contains(attributes.getResource() + ":" + attributes.getVerb()))
                            .build());
                    return review;
                })
                .always();
    }

    private void dns(String namespace, String name, int targetPort) {
        client.services()
                .inNamespace(namespace)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withNewSpec()
                        .addNewPort()
                        .withName("dns")
                        .withProtocol("UDP")
                        .withPort(53)
                        .withTargetPort(new IntOrString(targetPort))
                        .endPort()
                        .endSpec()
                        .build())
                .create();
    }

    private void daemonSet(String namespace, String name) {
        client.apps()
                .daemonSets()
                .inNamespace(namespace)
                .resource(new DaemonSetBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withNewSpec()
                        .withNewSelector()
                        .withMatchLabels(Map.of("k8s-app", name))
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("k8s-app", name))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName(name)
                        .withImage("cni@sha256:" + "0".repeat(64))
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }

    /** A loopback "registry" answering /v2/ with 401, as a registry that wants a login does. */
    private String registry() throws IOException {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/v2/", exchange -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        registry.start();
        return "127.0.0.1:" + registry.getAddress().getPort();
    }

    @Test
    void shouldSayOnceThatTheApiServerIsUnreachableWhenNothingAnswers() throws IOException {
        // Given
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:" + closedPort)
                .withRequestRetryBackoffLimit(0)
                .build();

        // When
        List<CheckResult> results;
        try (KubernetesClient unreachable = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(config)
                .build()) {
            results = Preflight.run(unreachable, settings(false, Optional.empty(), Optional.empty()));
        }

        // Then
        assertThat(results.getFirst().detail())
                .contains("the API server https://127.0.0.1:" + closedPort + "/ is unreachable")
                .contains("check your kube context");
        assertThat(results.subList(1, results.size()))
                .filteredOn(r -> !r.check().equals("registry") && !r.check().equals("runtime-class"))
                .hasSize(5)
                .allSatisfy(r -> assertThat(r.detail()).startsWith("not checked: the API server"));
    }
}
