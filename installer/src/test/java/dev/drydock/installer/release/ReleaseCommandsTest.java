package dev.drydock.installer.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.installer.InstallerMain;
import dev.drydock.installer.command.InstallCommand;
import dev.drydock.installer.command.RenderCommand;
import dev.drydock.installer.command.UpgradeCommand;
import dev.drydock.installer.helm.Helm;
import dev.drydock.installer.helm.HelmBinary;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code install render | install | upgrade}: render with the real Helm; install and upgrade with a Helm
 * that renders for real and records the cluster call (no cluster here), and the support bundle read from
 * fabric8's mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class ReleaseCommandsTest {
    static final Path CHART = Path.of("..", "k8s", "drydock").toAbsolutePath().normalize();
    static final Path MINIMAL = CHART.resolve("ci/minimal-values.yaml");

    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void shouldRenderChartWithValuesInOrderWhenRenderIsRun() throws IOException {
        // Given
        Path site = dir.resolve("site.yaml");
        Files.writeString(site, "replicaCount: 3\n");
        RenderCommand render = new RenderCommand();
        render.helm = Helm.pinned();

        // When
        Run run = run(
                render,
                "--chart",
                CHART.toString(),
                "-f",
                MINIMAL.toString(),
                "-f",
                site.toString(),
                "--set",
                "global.imageRegistry=mirror.corp.example:5000",
                "--out",
                dir.resolve("out.yaml").toString());

        // Then
        assertThat(run.code).as(run.err).isEqualTo(InstallerMain.OK);
        String rendered = Files.readString(dir.resolve("out.yaml"));
        assertThat(rendered)
                .contains("kind: Deployment")
                .contains("replicas: 3")
                .contains(
                        "mirror.corp.example:5000/drydock/server:0.1.0-SNAPSHOT@sha256:1111111111111111111111111111111111111111111111111111111111111111");
    }

    @Test
    void shouldRenderQuestionnaireAnswersWhenAskIsGiven() throws IOException {
        // Given
        RenderCommand render = new RenderCommand();
        render.helm = Helm.pinned();
        render.input = new BufferedReader(new StringReader(String.join(
                "\n",
                "mirror.corp.example:5000",
                "jdbc:postgresql://db.corp.example:5432/dd",
                "",
                "",
                "",
                "drydock.corp.example",
                "gvisor",
                "")));
        Path answers = dir.resolve("site-values.yaml");

        // When
        Run run = run(
                render,
                "--chart",
                CHART.toString(),
                "-f",
                MINIMAL.toString(),
                "--ask",
                "--write-values",
                answers.toString(),
                "--out",
                dir.resolve("out.yaml").toString());

        // Then
        assertThat(run.code).as(run.err).isEqualTo(InstallerMain.OK);
        assertThat(Files.readString(answers))
                .contains("url: \"jdbc:postgresql://db.corp.example:5432/dd\"")
                .contains("existingSecret: \"drydock-db\"")
                .contains("runtimeClassName: \"gvisor\"");
        String rendered = Files.readString(dir.resolve("out.yaml"));
        assertThat(rendered)
                .contains("jdbc:postgresql://db.corp.example:5432/dd")
                .contains("kind: Ingress")
                .contains("host: \"drydock.corp.example\"")
                .contains("DRYDOCK_SANDBOX_KUBERNETES_RUNTIME_CLASS: \"gvisor\"");
    }

    @Test
    void shouldRunHelmInstallWithWaitAndValuesOfBundleFirstWhenInstallIsRun() throws IOException {
        // Given
        Path bundle = extractedBundle();
        Path site = dir.resolve("site.yaml");
        Files.copy(MINIMAL, site);
        InstallCommand install = new InstallCommand();
        install.helm = recordingHelm(0, "");
        install.cluster = () -> client;

        // When
        Run run = run(
                install,
                "--bundle-dir",
                bundle.toString(),
                "-f",
                site.toString(),
                "--release",
                "dd",
                "-n",
                "tools",
                "--timeout",
                "900");

        // Then
        assertThat(run.code).as(run.err).isEqualTo(InstallerMain.OK);
        assertThat(Files.readAllLines(dir.resolve("helm-args.txt")))
                .containsExactly(
                        "install",
                        "dd",
                        bundle.resolve("chart/drydock-0.1.0.tgz").toString(),
                        "--namespace",
                        "tools",
                        "--wait=watcher",
                        "--wait-for-jobs",
                        "--timeout",
                        "900s",
                        "--values",
                        bundle.resolve("chart/values-images.yaml").toString(),
                        "--values",
                        site.toString());
        assertThat(dir.resolve("drydock-support.tar.gz")).doesNotExist();
    }

    @Test
    void shouldRunHelmUpgradeInKubeContextWhenUpgradeIsRun() throws IOException {
        // Given
        UpgradeCommand upgrade = new UpgradeCommand();
        upgrade.helm = recordingHelm(0, "");
        upgrade.cluster = () -> client;

        // When
        Run run = run(
                upgrade,
                "--chart",
                CHART.toString(),
                "-f",
                MINIMAL.toString(),
                "--context",
                "prod-east",
                "--set",
                "replicaCount=4");

        // Then
        assertThat(run.code).as(run.err).isEqualTo(InstallerMain.OK);
        assertThat(Files.readAllLines(dir.resolve("helm-args.txt")))
                .containsExactly(
                        "upgrade",
                        "drydock",
                        CHART.toString(),
                        "--namespace",
                        "drydock",
                        "--wait=watcher",
                        "--wait-for-jobs",
                        "--timeout",
                        "600s",
                        "--kube-context",
                        "prod-east",
                        "--values",
                        MINIMAL.toString(),
                        "--set",
                        "replicaCount=4");
    }

    @Test
    void shouldWriteSupportBundleWithoutAnySecretWhenHelmInstallFails() throws IOException {
        // Given
        Path secrets = dir.resolve("secrets.yaml");
        Files.writeString(secrets, """
                database: {password: db-Pa55word}
                oidc: {portalClientSecret: portal-S3cret, serverClientSecret: server-S3cret}
                git: {credentials: {GITLAB_TOKEN: glpat-T0ken}}
                models: {credentials: {vllm-a: sk-M0del}}
                """);
        client.pods()
                .inNamespace("drydock")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("drydock-server-abc")
                        .withNamespace("drydock")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("server")
                        .withImage("x")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        client.v1()
                .events()
                .inNamespace("drydock")
                .resource(new EventBuilder()
                        .withNewMetadata()
                        .withName("e1")
                        .withNamespace("drydock")
                        .endMetadata()
                        .withNewInvolvedObject()
                        .withKind("Pod")
                        .withName("drydock-server-abc")
                        .endInvolvedObject()
                        .withReason("Unhealthy")
                        .withType("Warning")
                        .withMessage("Readiness probe failed: GET with Authorization: Bearer ey.Jw7.t0ken")
                        .build())
                .create();
        InstallCommand install = new InstallCommand();
        install.helm = recordingHelm(
                1,
                "Error: context deadline exceeded (db url jdbc:postgresql://drydock:db-Pa55word@db:5432/dd, password=db-Pa55word)");
        install.cluster = () -> client;
        Path supportBundle = dir.resolve("support.tar.gz");

        // When
        Run run = run(
                install,
                "--chart",
                CHART.toString(),
                "-f",
                MINIMAL.toString(),
                "-f",
                secrets.toString(),
                "--set",
                "oidc.serverClientSecret=set-S3cret",
                "--support-bundle",
                supportBundle.toString());

        // Then
        assertThat(run.code).isEqualTo(InstallerMain.REJECTED);
        assertThat(run.err)
                .contains("wrote the support bundle " + supportBundle)
                .doesNotContain("db-Pa55word");
        Map<String, String> files = untar(supportBundle);
        assertThat(files)
                .containsKeys(
                        "helm.txt",
                        "values.yaml",
                        "rendered.yaml",
                        "events/drydock.txt",
                        "events/drydock-sandboxes.txt",
                        "pods/drydock-server-abc.yaml",
                        "logs/drydock-server-abc/server.log");
        for (String secret : List.of(
                "db-Pa55word",
                "portal-S3cret",
                "server-S3cret",
                "set-S3cret",
                "glpat-T0ken",
                "sk-M0del",
                "ey.Jw7.t0ken",
                "change-me",
                "portal-secret")) {
            assertThat(files)
                    .allSatisfy((path, content) ->
                            assertThat(content).as(path + " holds " + secret).doesNotContain(secret));
        }
        assertThat(files.get("values.yaml"))
                .contains("jdbc:postgresql://postgres.corp.example:5432/drydock")
                .contains("GITLAB_TOKEN: \"<redacted>\"");
        assertThat(files.get("rendered.yaml"))
                .contains("kind: \"Secret\"")
                .contains("<redacted>")
                .contains("kind: \"Deployment\"");
        assertThat(files.get("events/drydock.txt")).contains("Unhealthy").contains("Bearer <redacted>");
        assertThat(files.get("helm.txt"))
                .contains("context deadline exceeded")
                .contains("--set oidc.serverClientSecret=<redacted>");
    }

    /** A Helm that renders with the pinned binary and records every other call's arguments, answering with {@code exit} and {@code stderr}. */
    private Helm recordingHelm(int exit, String stderr) throws IOException {
        Path script = dir.resolve("helm");
        Files.writeString(script, """
                #!/bin/sh
                if [ "$1" = template ]; then exec '%s' "$@"; fi
                printf '%%s\\n' "$@" > '%s'
                printf '%%s\\n' '%s' >&2
                exit %d
                """.formatted(
                        HelmBinary.obtain(), dir.resolve("helm-args.txt"), stderr.replace("'", ""), exit));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new Helm(script, dir.resolve("helm-home"));
    }

    /** What install extract leaves: chart/drydock-0.1.0.tgz (helm package of the chart) and chart/values-images.yaml. */
    private Path extractedBundle() throws IOException {
        Path bundle = dir.resolve("bundle");
        Files.createDirectories(bundle.resolve("chart"));
        Helm.pinned()
                .run(List.of(
                        "package",
                        CHART.toString(),
                        "--destination",
                        bundle.resolve("chart").toString()))
                .orThrow();
        Files.writeString(
                bundle.resolve("chart/values-images.yaml"), "image: {digest: \"sha256:" + "3".repeat(64) + "\"}\n");
        return bundle;
    }

    private record Run(int code, String out, String err) {}

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e);
            return InstallerMain.SOFTWARE;
        });
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Map<String, String> untar(Path tgz) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                files.put(
                        e.getName().substring("drydock-support/".length()),
                        new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
