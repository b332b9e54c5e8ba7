package dev.drydock.installer.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * What a platform team sends when an install or upgrade fails: Helm's output, the values and the rendered
 * objects, the events of the release and sandbox namespaces, the state and recent logs of the release's
 * pods. Everything passes {@link Redaction} before it is written; nothing is sent anywhere.
 */
public final class SupportBundle {
    /** Log lines kept per container. */
    public static final int TAIL_LINES = 500;

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization KUBE = new KubernetesSerialization();

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    /** Helm's command line (secret values after {@code --set} redacted) and its output. */
    public SupportBundle helm(List<String> args, int exitCode, String stdout, String stderr) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            shown.add(i > 0 && args.get(i - 1).startsWith("--set") ? redactSet(a) : a);
        }
        put(
                "helm.txt",
                Redaction.text("$ helm " + String.join(" ", shown) + "\nexit code " + exitCode + "\n--- stdout\n"
                        + stdout + "\n--- stderr\n" + stderr + "\n"));
        return this;
    }

    /** The values the release was given (files in order, then --set values), merged, without secrets. */
    public SupportBundle values(List<Path> valueFiles, Map<String, String> set) throws IOException {
        ObjectNode merged = YAML.createObjectNode();
        for (Path f : valueFiles) {
            JsonNode v = YAML.readTree(f.toFile());
            if (v instanceof ObjectNode o) {
                merge(merged, o);
            }
        }
        set.forEach((k, v) -> {
            ObjectNode at = merged;
            String[] parts = k.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                at = at.get(parts[i]) instanceof ObjectNode o ? o : at.putObject(parts[i]);
            }
            at.put(parts[parts.length - 1], v);
        });
        put("values.yaml", YAML.writeValueAsString(Redaction.values(merged)));
        return this;
    }

    /** The objects {@code helm template} rendered, without secrets. */
    public SupportBundle rendered(String manifests) throws IOException {
        StringBuilder out = new StringBuilder();
        try (var parser = new YAMLFactory().createParser(manifests)) {
            var docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.append(YAML.writeValueAsString(Redaction.object(doc)));
                }
            }
        }
        put("rendered.yaml", out.toString());
        return this;
    }

    /** Events of the namespaces, and state and logs of every pod of the release namespace. */
    public SupportBundle cluster(KubernetesClient client, String namespace, List<String> otherNamespaces) {
        List<String> namespaces = new ArrayList<>(List.of(namespace));
        namespaces.addAll(otherNamespaces);
        for (String ns : namespaces) {
            try {
                StringBuilder events = new StringBuilder();
                List<Event> list = new ArrayList<>(
                        client.v1().events().inNamespace(ns).list().getItems());
                list.sort(Comparator.comparing(e -> String.valueOf(
                        e.getLastTimestamp() != null
                                ? e.getLastTimestamp()
                                : e.getEventTime() != null ? e.getEventTime().getTime() : "")));
                for (Event e : list) {
                    events.append(String.format(
                            "%s %s %s/%s %s: %s%n",
                            e.getLastTimestamp(),
                            e.getType(),
                            e.getInvolvedObject().getKind(),
                            e.getInvolvedObject().getName(),
                            e.getReason(),
                            e.getMessage()));
                }
                put("events/" + ns + ".txt", Redaction.text(events.toString()));
            } catch (KubernetesClientException e) {
                put(
                        "events/" + ns + ".txt",
                        "could not list events: " + Redaction.text(String.valueOf(e.getMessage())) + "\n");
            }
        }
        List<Pod> pods;
        try {
            pods = client.pods().inNamespace(namespace).list().getItems();
        } catch (KubernetesClientException e) {
            put("pods/error.txt", "could not list pods: " + Redaction.text(String.valueOf(e.getMessage())) + "\n");
            return this;
        }
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            try {
                put(
                        "pods/" + name + ".yaml",
                        YAML.writeValueAsString(Redaction.object(KUBE.convertValue(pod, JsonNode.class))));
            } catch (IOException e) {
                put("pods/" + name + ".yaml", "could not write: " + e.getMessage() + "\n");
            }
            List<String> containers = new ArrayList<>();
            pod.getSpec().getInitContainers().forEach(c -> containers.add(c.getName()));
            pod.getSpec().getContainers().forEach(c -> containers.add(c.getName()));
            for (String container : containers) {
                put("logs/" + name + "/" + container + ".log", log(client, namespace, name, container, false));
                boolean restarted = pod.getStatus() != null
                        && pod.getStatus().getContainerStatuses().stream()
                                .anyMatch(s -> s.getName().equals(container)
                                        && s.getRestartCount() != null
                                        && s.getRestartCount() > 0);
                if (restarted) {
                    put(
                            "logs/" + name + "/" + container + ".previous.log",
                            log(client, namespace, name, container, true));
                }
            }
        }
        return this;
    }

    private static String log(
            KubernetesClient client, String namespace, String pod, String container, boolean previous) {
        try {
            var c = client.pods().inNamespace(namespace).withName(pod).inContainer(container);
            String log = previous
                    ? c.terminated().tailingLines(TAIL_LINES).getLog()
                    : c.tailingLines(TAIL_LINES).getLog();
            return Redaction.text(log == null ? "" : log);
        } catch (KubernetesClientException e) {
            return "could not read the log: " + Redaction.text(String.valueOf(e.getMessage())) + "\n";
        }
    }

    /** A note of the collector's own (what could not be collected). */
    public SupportBundle note(String path, String text) {
        put(path, text);
        return this;
    }

    /** The files collected so far, by path inside the bundle. */
    public Map<String, byte[]> files() {
        return java.util.Collections.unmodifiableMap(files);
    }

    /** Writes the bundle as a .tar.gz. */
    public Path write(Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        try (OutputStream os = Files.newOutputStream(out);
                GzipCompressorOutputStream gz = new GzipCompressorOutputStream(os);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry("drydock-support/" + f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(0644);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out;
    }

    private void put(String path, String content) {
        files.put(path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String redactSet(String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq < 0) {
            return keyValue;
        }
        ObjectNode probe = YAML.createObjectNode();
        String key = keyValue.substring(0, eq);
        probe.put(key.substring(key.lastIndexOf('.') + 1), keyValue.substring(eq + 1));
        boolean credentials = key.toLowerCase(java.util.Locale.ROOT).contains("credentials.");
        String value = credentials
                ? Redaction.REDACTED
                : Redaction.values(probe).elements().next().asText();
        return key + "=" + value;
    }

    private static void merge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(f -> {
            if (f.getValue() instanceof ObjectNode o && into.get(f.getKey()) instanceof ObjectNode existing) {
                merge(existing, o);
            } else {
                into.set(f.getKey(), f.getValue().deepCopy());
            }
        });
    }
}
