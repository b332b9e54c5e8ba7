package dev.drydock.installer.helm;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The objects of a rendered chart ({@code helm template} output) as plain maps, and what the bundle
 * and the checks need from them: the pod specs and every image they use.
 */
public final class RenderedChart {
    /**
     * Server settings naming images the server starts itself (sandbox pods): part of the image list
     * like the images of the chart's own pods.
     */
    public static final List<String> SERVER_STARTED_IMAGES = List.of("DRYDOCK_SANDBOX_KUBERNETES_IMAGE");

    private final List<Map<String, Object>> objects;

    private RenderedChart(List<Map<String, Object>> objects) {
        this.objects = List.copyOf(objects);
    }

    /** Parses multi-document YAML; empty documents are skipped, a key given twice in one map is an error. */
    @SuppressWarnings("unchecked")
    public static RenderedChart parse(String yaml) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        YAMLMapper mapper = new YAMLMapper();
        mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try (MappingIterator<Object> it = mapper.readerFor(Object.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                Object doc = it.nextValue();
                if (doc instanceof Map<?, ?> m && !m.isEmpty()) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return new RenderedChart(out);
    }

    /** Every object, in rendering order. */
    public List<Map<String, Object>> objects() {
        return objects;
    }

    /** Objects of one kind. */
    public List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    /** A pod spec and the object it came from ({@code Kind/name}). */
    public record PodSpecOf(String source, Map<String, Object> spec) {}

    /** The pod specs of Pods and of workload templates. */
    public List<PodSpecOf> podSpecs() {
        List<PodSpecOf> specs = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            String kind = String.valueOf(o.get("kind"));
            String source = kind + "/" + name(o);
            Map<String, Object> spec = switch (kind) {
                case "Pod" -> map(o, "spec");
                case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" ->
                    map(map(map(o, "spec"), "template"), "spec");
                case "CronJob" -> map(map(map(map(map(o, "spec"), "jobTemplate"), "spec"), "template"), "spec");
                default -> null;
            };
            if (spec != null) {
                specs.add(new PodSpecOf(source, spec));
            }
        }
        return specs;
    }

    /** Every image: of every container of every pod spec, and those the server starts itself. */
    public Set<String> images() {
        Set<String> images = new LinkedHashSet<>();
        for (PodSpecOf p : podSpecs()) {
            for (String list : List.of("initContainers", "containers")) {
                for (Map<String, Object> c : maps(p.spec().get(list))) {
                    images.add(String.valueOf(c.get("image")));
                }
            }
        }
        for (Map<String, Object> cm : ofKind("ConfigMap")) {
            Map<String, Object> data = map(cm, "data");
            if (data != null) {
                SERVER_STARTED_IMAGES.stream()
                        .map(data::get)
                        .filter(Objects::nonNull)
                        .map(String::valueOf)
                        .forEach(images::add);
            }
        }
        return images;
    }

    /** {@code metadata.name} of an object. */
    public static String name(Map<String, Object> o) {
        Map<String, Object> meta = map(o, "metadata");
        return meta == null ? "?" : String.valueOf(meta.get("name"));
    }

    /** A nested map, or null. */
    @SuppressWarnings("unchecked")
    public static @Nullable Map<String, Object> map(@Nullable Map<String, Object> parent, String key) {
        if (parent == null) {
            return null;
        }
        return parent.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** A list of maps, or an empty list. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(@Nullable Object list) {
        if (!(list instanceof List<?> l)) {
            return List.of();
        }
        return l.stream()
                .filter(Map.class::isInstance)
                .map(m -> (Map<String, Object>) m)
                .toList();
    }
}
