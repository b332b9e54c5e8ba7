package dev.drydock.sandbox.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.sandbox.ExecRequest;
import dev.drydock.sandbox.ExecResult;
import dev.drydock.sandbox.InvalidSpecException;
import dev.drydock.sandbox.PathEscapeException;
import dev.drydock.sandbox.Sandbox;
import dev.drydock.sandbox.SandboxDestroyedException;
import dev.drydock.sandbox.SandboxId;
import dev.drydock.sandbox.SandboxLabels;
import dev.drydock.sandbox.SandboxOptions;
import dev.drydock.sandbox.SandboxPolicy;
import dev.drydock.sandbox.SandboxSpec;
import dev.drydock.sandbox.UnknownSandboxException;
import dev.drydock.sandbox.testing.MutableClock;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kubernetes backend against fabric8's mock API server, with a fake kubelet running real tool runners. */
@EnableKubernetesMockClient(crud = true)
class KubernetesSandboxBackendTest {
    private static final java.util.concurrent.atomic.AtomicInteger NAMESPACES =
            new java.util.concurrent.atomic.AtomicInteger();

    /** One mock API server for the class; each test gets its own namespace. */
    static KubernetesClient client;

    String NS;

    @TempDir
    Path root;

    FakeKubelet kubelet;
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    SandboxOptions options;

    @BeforeEach
    void setUp() {
        NS = "sandboxes-" + NAMESPACES.incrementAndGet();
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();
        kubelet = new FakeKubelet(client, NS, root);
        options = SandboxOptions.defaults()
                .withBackend("kubernetes")
                .withKubernetes(SandboxOptions.KubernetesOptions.defaults()
                        .withNamespace(NS)
                        .withImage("drydock/sandbox:1")
                        .withRuntimeClass(Optional.empty(), Set.of("gvisor")));
    }

    @AfterEach
    void tearDown() {
        kubelet.close();
    }

    KubernetesSandboxBackend backend(SandboxOptions o) {
        return new KubernetesSandboxBackend(client, o, clock, kubelet::endpoint, Duration.ofSeconds(120));
    }

    List<Pod> pods() {
        return client.pods().inNamespace(NS).list().getItems();
    }

    @Test
    void shouldCreateRestrictedPodAndRunCommandsWhenSandboxIsCreated() {
        // Given
        KubernetesSandboxBackend backend = backend(options);
        backend.start();
        // When
        Sandbox sandbox = backend.create(new SandboxPolicy(options).spec("s1", "w1"));
        ExecResult result = sandbox.exec(
                ExecRequest.of("sh", "-c", "cat; echo; pwd; exit 4").withStdin("in".getBytes(StandardCharsets.UTF_8)));
        // Then
        Pod pod = client.pods()
                .inNamespace(NS)
                .withName(SandboxPods.podName(sandbox.id()))
                .get();
        assertThat(RestrictedPodCheck.sandboxViolations(pod)).isEmpty();
        assertThat(pod.getMetadata().getLabels())
                .containsEntry(SandboxLabels.SESSION_ID, "s1")
                .containsEntry(SandboxLabels.WORKSPACE_ID, "w1");
        assertThat(client.secrets()
                        .inNamespace(NS)
                        .withName(SandboxPods.secretName(sandbox.id()))
                        .get())
                .isNotNull();
        NetworkPolicy np = client.network()
                .v1()
                .networkPolicies()
                .inNamespace(NS)
                .withName(SandboxNetworkPolicies.NAME)
                .get();
        assertThat(np.getSpec())
                .isEqualTo(SandboxNetworkPolicies.desired(options.kubernetes()).getSpec());
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.stdout().text())
                .isEqualTo("in\n" + kubelet.workspace(SandboxPods.podName(sandbox.id())) + "\n");
        assertThat(backend.get(sandbox.id())).isSameAs(sandbox);
    }

    @Test
    void shouldAllowEgressToChosenMirrorsOnlyFromItsPodWhenWorkspaceChoseMirrors() {
        // Given a workspace that chose an npm and a Maven mirror
        KubernetesSandboxBackend backend = backend(options);
        backend.start();
        List<dev.drydock.sandbox.PackageMirror> mirrors = List.of(
                new dev.drydock.sandbox.PackageMirror(
                        "corp-npm",
                        dev.drydock.sandbox.PackageMirror.Kind.NPM,
                        java.net.URI.create("http://10.20.0.7:4873/")),
                new dev.drydock.sandbox.PackageMirror(
                        "corp-maven",
                        dev.drydock.sandbox.PackageMirror.Kind.MAVEN,
                        java.net.URI.create("https://10.20.0.8/repository/maven-public/")));

        // When its sandbox is created
        Sandbox sandbox =
                backend.create(new SandboxPolicy(options).spec("s1", "w1").withMirrors(mirrors));

        // Then the sandbox's own policy lets exactly its pod reach exactly those addresses and ports, and goes with the
        // sandbox
        NetworkPolicy np = client.network()
                .v1()
                .networkPolicies()
                .inNamespace(NS)
                .withName(SandboxNetworkPolicies.mirrorPolicyName(sandbox.id()))
                .get();
        assertThat(np.getSpec().getPodSelector().getMatchLabels())
                .containsExactly(
                        Map.entry(SandboxLabels.SANDBOX_ID, sandbox.id().value()));
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(np.getSpec().getEgress())
                .extracting(e -> e.getTo().get(0).getIpBlock().getCidr() + ":"
                        + e.getPorts().get(0).getPort().getIntVal())
                .containsExactly("10.20.0.7/32:4873", "10.20.0.8/32:443");
        assertThat(client.pods()
                        .inNamespace(NS)
                        .withName(SandboxPods.podName(sandbox.id()))
                        .get()
                        .getMetadata()
                        .getLabels())
                .containsEntry(SandboxLabels.SANDBOX_ID, sandbox.id().value());
        sandbox.destroy();
        assertThat(client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace(NS)
                        .withName(SandboxNetworkPolicies.mirrorPolicyName(sandbox.id()))
                        .get())
                .isNull();
    }

    @Test
    void shouldGivePodPackageManagerSettingsAndWorkspaceCacheVolumeWhenWorkspaceChoseMirrors() {
        // Given a cluster with a dependency-cache volume and a workspace that chose Maven, npm, PyPI and Go mirrors,
        // with a setup step holding the npm credential
        SandboxOptions o =
                options.withKubernetes(options.kubernetes().withDependencyCacheClaim(Optional.of("drydock-caches")));
        KubernetesSandboxBackend backend = backend(o);
        backend.start();
        List<dev.drydock.sandbox.PackageMirror> mirrors = List.of(
                mirror(
                        "corp-maven",
                        dev.drydock.sandbox.PackageMirror.Kind.MAVEN,
                        "https://10.20.0.8/repository/maven-public/"),
                mirror("corp-npm", dev.drydock.sandbox.PackageMirror.Kind.NPM, "http://10.20.0.7:4873/"),
                mirror("corp-pypi", dev.drydock.sandbox.PackageMirror.Kind.PYPI, "http://10.20.0.9/simple/"),
                mirror("corp-go", dev.drydock.sandbox.PackageMirror.Kind.GO, "http://10.20.0.10/go/"));
        SandboxSpec spec = new SandboxPolicy(o)
                .spec("s1", "payments")
                .withMirrors(mirrors)
                .withSetup(new dev.drydock.sandbox.SetupStep(
                        List.of("sh", "-c", "true"),
                        Map.of(mirrors.get(1).secretVariable(), "ci:s3cret"),
                        Duration.ofMinutes(1)));

        // When its sandbox is created
        Sandbox sandbox = backend.create(spec);

        // Then the pod's commands are pointed at the settings (a ConfigMap, no credential) and the mirrors, and the
        // workspace's part of the cache volume holds the package managers' caches
        Pod pod = client.pods()
                .inNamespace(NS)
                .withName(SandboxPods.podName(sandbox.id()))
                .get();
        var container = pod.getSpec().getContainers().get(0);
        Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        assertThat(env)
                .containsEntry(
                        "MAVEN_ARGS", "-Dmaven.repo.local=/opt/drydock/cache/maven -s /etc/drydock/build/settings.xml")
                .containsEntry("NPM_CONFIG_USERCONFIG", "/etc/drydock/build/npmrc")
                .containsEntry("PIP_CONFIG_FILE", "/etc/drydock/build/pip.conf")
                .containsEntry("GOPROXY", "http://10.20.0.10/go/")
                .containsEntry("GOMODCACHE", "/opt/drydock/cache/go")
                .containsEntry("GRADLE_USER_HOME", "/opt/drydock/cache/gradle")
                .containsEntry("HOME", "/home/drydock")
                .doesNotContainKey(mirrors.get(1).secretVariable());
        assertThat(container.getVolumeMounts())
                .extracting(m -> m.getName() + ":" + m.getMountPath() + ":" + m.getSubPath() + ":" + m.getReadOnly())
                .contains(
                        "build-settings:/etc/drydock/build:null:true",
                        "dependency-cache:/opt/drydock/cache:payments:null",
                        "build-settings:/opt/drydock/cache/gradle/init.d/drydock.gradle:init.gradle:true");
        assertThat(pod.getSpec().getVolumes())
                .filteredOn(v -> v.getName().equals("dependency-cache"))
                .singleElement()
                .satisfies(v ->
                        assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("drydock-caches"));
        assertThat(RestrictedPodCheck.sandboxViolations(pod)).isEmpty();
        Map<String, String> files = client.configMaps()
                .inNamespace(NS)
                .withName(SandboxPods.settingsName(sandbox.id()))
                .get()
                .getData();
        assertThat(files)
                .containsOnlyKeys(
                        "settings.xml", "npmrc", "setup.npmrc", "pip.conf", "init.gradle", "gradle.properties");
        assertThat(files.get("settings.xml"))
                .contains("<mirrorOf>*</mirrorOf><url>https://10.20.0.8/repository/maven-public/</url>")
                .doesNotContain("<proxies>");
        assertThat(files.get("npmrc"))
                .contains("registry=http://10.20.0.7:4873/")
                .contains("cache=/opt/drydock/cache/npm");
        assertThat(files.get("setup.npmrc")).contains(":_auth=${DRYDOCK_MIRROR_CORP_NPM_CREDENTIAL_NPM}");
        assertThat(files.get("init.gradle")).contains("maven { url 'https://10.20.0.8/repository/maven-public/' }");
        assertThat(String.join("", files.values())).doesNotContain("s3cret");
        sandbox.destroy();
        assertThat(client.configMaps()
                        .inNamespace(NS)
                        .withName(SandboxPods.settingsName(sandbox.id()))
                        .get())
                .isNull();
    }

    static dev.drydock.sandbox.PackageMirror mirror(
            String name, dev.drydock.sandbox.PackageMirror.Kind kind, String url) {
        return new dev.drydock.sandbox.PackageMirror(name, kind, java.net.URI.create(url));
    }

    @Test
    void shouldConfineFileApiWhenGoingThroughRunner() {
        // Given
        KubernetesSandboxBackend backend = backend(options);
        Sandbox sandbox = backend.create(new SandboxPolicy(options).spec("s1", "w1"));
        sandbox.exec(ExecRequest.of("ln", "-s", "/etc", "etc-link"));
        // When
        sandbox.writeFile("src/Main.java", "class Main {}".getBytes(StandardCharsets.UTF_8));
        // Then
        assertThat(new String(sandbox.readFile("src/Main.java"), StandardCharsets.UTF_8))
                .isEqualTo("class Main {}");
        assertThat(sandbox.list("src"))
                .singleElement()
                .satisfies(e -> assertThat(e.path()).isEqualTo("src/Main.java"));
        assertThatThrownBy(() -> sandbox.readFile("etc-link/passwd")).isInstanceOf(PathEscapeException.class);
        assertThatThrownBy(() -> sandbox.readFile("../secret")).isInstanceOf(PathEscapeException.class);
    }

    @Test
    void shouldDeletePodAndRefuseExecWhenSandboxIsDestroyed() {
        // Given
        KubernetesSandboxBackend backend = backend(options);
        Sandbox sandbox = backend.create(new SandboxPolicy(options).spec("s1", "w1"));
        // When
        sandbox.destroy();
        // Then
        assertThat(client.pods()
                        .inNamespace(NS)
                        .withName(SandboxPods.podName(sandbox.id()))
                        .get())
                .isNull();
        assertThat(client.secrets()
                        .inNamespace(NS)
                        .withName(SandboxPods.secretName(sandbox.id()))
                        .get())
                .isNull();
        assertThatThrownBy(() -> sandbox.exec(ExecRequest.of("true"))).isInstanceOf(SandboxDestroyedException.class);
        assertThatThrownBy(() -> backend.get(sandbox.id())).isInstanceOf(UnknownSandboxException.class);
    }

    @Test
    void shouldRejectBadSpecsWithoutCreatingPodsWhenImageOrRuntimeClassIsWrong() {
        // Given
        KubernetesSandboxBackend backend = backend(options);
        SandboxSpec spec = new SandboxPolicy(options).spec("s1", "w1");
        // When / Then
        assertThatThrownBy(() -> backend.create(spec.withImage("")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("missing image");
        assertThatThrownBy(() -> backend.create(spec.withRuntimeClass(Optional.of("kata"))))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("unknown runtime class 'kata'; allowed: gvisor");
        assertThat(pods()).isEmpty();
        assertThat(client.secrets().inNamespace(NS).list().getItems()).isEmpty();
    }

    @Test
    void shouldKeepWarmPoolFullWhenSandboxesAreClaimed() {
        // Given
        SandboxOptions pooled = options.withKubernetes(options.kubernetes().withWarmPoolSize(2));
        KubernetesSandboxBackend backend = backend(pooled);
        backend.start();
        List<String> warmBefore =
                backend.warmPods().stream().map(p -> p.getMetadata().getName()).toList();
        // When
        Sandbox sandbox = backend.create(new SandboxPolicy(pooled).spec("s1", "w1"));
        // Then
        assertThat(warmBefore).hasSize(2).contains(SandboxPods.podName(sandbox.id()));
        assertThat(backend.warmPods())
                .hasSize(2)
                .extracting(p -> p.getMetadata().getName())
                .doesNotContain(SandboxPods.podName(sandbox.id()));
        Pod claimed = client.pods()
                .inNamespace(NS)
                .withName(SandboxPods.podName(sandbox.id()))
                .get();
        assertThat(claimed.getMetadata().getLabels())
                .containsEntry(SandboxLabels.POOL, "claimed")
                .containsEntry(SandboxLabels.SESSION_ID, "s1");
        assertThat(sandbox.exec(ExecRequest.of("echo", "warm")).stdout().text()).isEqualTo("warm\n");
        assertThat(pods()).hasSize(3);
    }

    @Test
    void shouldReapExpiredPodsWhenTtlPasses() {
        // Given
        KubernetesSandboxBackend backend = backend(options);
        Sandbox shortLived =
                backend.create(new SandboxPolicy(options).spec("s1", "w1").withTtl(Duration.ofMinutes(5)));
        Sandbox longLived =
                backend.create(new SandboxPolicy(options).spec("s2", "w2").withTtl(Duration.ofHours(5)));
        clock.advance(Duration.ofMinutes(6));
        // When
        int reaped = backend.reapExpired();
        // Then
        assertThat(reaped).isEqualTo(1);
        assertThat(pods())
                .extracting(p -> p.getMetadata().getName())
                .containsExactly(SandboxPods.podName(longLived.id()));
        assertThat(shortLived.isDestroyed()).isTrue();
        assertThat(client.secrets().inNamespace(NS).list().getItems())
                .extracting(s -> s.getMetadata().getName())
                .containsExactly(SandboxPods.secretName(longLived.id()));
    }

    @Test
    void shouldDeleteOrphansAndAdoptLiveSandboxesWhenServerRestarts() {
        // Given
        KubernetesSandboxBackend before = backend(options);
        Sandbox live = before.create(new SandboxPolicy(options).spec("live-session", "w1"));
        Sandbox orphan = before.create(new SandboxPolicy(options).spec("dead-session", "w2"));
        live.writeFile("kept.txt", "still here".getBytes(StandardCharsets.UTF_8));
        KubernetesSandboxBackend after = backend(options);
        // When
        KubernetesSandboxBackend.Reconciliation result = after.reconcile(session -> session.equals("live-session"));
        // Then
        assertThat(result.adopted()).containsExactly(live.id());
        assertThat(result.deleted())
                .extracting(PodReaper.Reaped::name)
                .contains(SandboxPods.podName(orphan.id()), SandboxPods.secretName(orphan.id()));
        assertThat(pods()).extracting(p -> p.getMetadata().getName()).containsExactly(SandboxPods.podName(live.id()));
        assertThat(new String(after.get(live.id()).readFile("kept.txt"), StandardCharsets.UTF_8))
                .isEqualTo("still here");
        assertThatThrownBy(() -> after.get(orphan.id())).isInstanceOf(UnknownSandboxException.class);
    }

    @Test
    void shouldFillWorkspaceFromMirrorAndDiffInPodWhenSpecHasSource() throws Exception {
        // Given
        Path mirror = root.resolve("mirror");
        String base;
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init()
                .setDirectory(mirror.toFile())
                .setInitialBranch("main")
                .call()) {
            java.nio.file.Files.writeString(mirror.resolve("App.java"), "class App {}\n");
            git.add().addFilepattern("App.java").call();
            base = git.commit()
                    .setMessage("base")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call()
                    .name();
        }
        KubernetesSandboxBackend backend = backend(options);
        SandboxSpec spec = new SandboxPolicy(options)
                .spec("s1", "w1")
                .withSource(new dev.drydock.sandbox.WorkspaceSource(mirror, base));
        // When
        Sandbox sandbox = backend.create(spec);
        sandbox.writeFile("App.java", "class App { int x; }\n".getBytes(StandardCharsets.UTF_8));
        sandbox.writeFile("New.java", "class New {}\n".getBytes(StandardCharsets.UTF_8));
        String diff = sandbox.diff();
        // Then
        Pod pod = client.pods()
                .inNamespace(NS)
                .withName(SandboxPods.podName(sandbox.id()))
                .get();
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(SandboxLabels.BASE_COMMIT, base);
        assertThat(diff)
                .contains(
                        "diff --git a/App.java b/App.java",
                        "+class App { int x; }",
                        "diff --git a/New.java b/New.java");
        assertThat(sandbox.exec(ExecRequest.of("git", "status", "--porcelain"))
                        .stdout()
                        .text())
                .contains("App.java")
                .contains("New.java");
    }

    @Test
    void shouldLeaveWithheldPathsOutOfPodAndDiffWhenSourceWithholdsThem() throws Exception {
        // Given a mirror with a secret folder and a key file
        Path mirror = root.resolve("mirror");
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init()
                .setDirectory(mirror.toFile())
                .setInitialBranch("main")
                .call()) {
            java.nio.file.Files.writeString(mirror.resolve("App.java"), "class App {}\n");
            java.nio.file.Files.createDirectories(mirror.resolve("secrets/prod"));
            java.nio.file.Files.writeString(mirror.resolve("secrets/prod/db.env"), "PASSWORD=x\n");
            java.nio.file.Files.writeString(mirror.resolve("tls.pem"), "key\n");
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("base")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call();
        }
        KubernetesSandboxBackend backend = backend(options);
        List<dev.drydock.sandbox.PathPattern> withheld = List.of(
                new dev.drydock.sandbox.PathPattern("secrets"), new dev.drydock.sandbox.PathPattern("**/*.pem"));
        SandboxSpec spec = new SandboxPolicy(options)
                .spec("s1", "w1")
                .withSource(new dev.drydock.sandbox.WorkspaceSource(mirror, "main", withheld));
        // When the droid edits a file and a command recreates a withheld one
        Sandbox sandbox = backend.create(spec);
        sandbox.writeFile("App.java", "class App { int x; }\n".getBytes(StandardCharsets.UTF_8));
        sandbox.exec(ExecRequest.of("sh", "-c", "mkdir -p secrets && echo leak > secrets/new.env && echo k > tls.pem"));
        String diff = sandbox.diff();
        // Then the pod never had them, and the diff holds the edit only
        assertThat(sandbox.exec(ExecRequest.of("git", "log", "--all", "--format=%H", "--", "secrets", "tls.pem"))
                        .stdout()
                        .text())
                .isEmpty();
        assertThat(sandbox.exec(ExecRequest.of("git", "rev-list", "--all", "--count"))
                        .stdout()
                        .text()
                        .strip())
                .isEqualTo("1");
        assertThat(diff)
                .contains("diff --git a/App.java b/App.java", "+class App { int x; }")
                .doesNotContain("secrets")
                .doesNotContain("tls.pem");
    }

    @Test
    void shouldRefuseUnknownIdsWhenLookingUp() {
        // Given
        KubernetesSandboxBackend backend = backend(options);
        // When / Then
        assertThatThrownBy(() -> backend.get(SandboxId.parse("sbx-0000000000000000")))
                .isInstanceOf(UnknownSandboxException.class)
                .hasMessage("unknown sandbox id: sbx-0000000000000000");
        assertThatThrownBy(() -> SandboxId.parse("../../etc")).isInstanceOf(UnknownSandboxException.class);
    }
}
