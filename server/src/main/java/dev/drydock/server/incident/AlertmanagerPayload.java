package dev.drydock.server.incident;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alertmanager's webhook body, version 4 (Prometheus Alertmanager's documented {@code
 * webhook_config} payload): a group of alerts under one {@code groupKey}, {@code firing} while any of
 * them fires, {@code resolved} when all have.
 */
record AlertmanagerPayload(
        String groupKey,
        String status,
        String receiver,
        Map<String, String> groupLabels,
        Map<String, String> commonLabels,
        Map<String, String> commonAnnotations,
        String externalUrl,
        int truncatedAlerts,
        List<Alert> alerts) {

    private static final int MAX_ALERTS = 200;

    /** One alert of the group. */
    record Alert(
            String status,
            Map<String, String> labels,
            Map<String, String> annotations,
            String startsAt,
            String endsAt,
            String generatorUrl,
            String fingerprint) {
        boolean firing() {
            return status.equals("firing");
        }

        /** Its identity: Alertmanager's fingerprint, or the sorted labels when a sender has none. */
        String identity() {
            return fingerprint.isEmpty() ? new TreeMap<>(labels).toString() : fingerprint;
        }
    }

    boolean firing() {
        return status.equals("firing");
    }

    List<Alert> firingAlerts() {
        return alerts.stream().filter(Alert::firing).toList();
    }

    /** The alert's name: {@code alertname} of the group, the common labels or the first alert. */
    String alertName() {
        String name = groupLabels.getOrDefault("alertname", commonLabels.getOrDefault("alertname", ""));
        if (name.isEmpty() && !alerts.isEmpty()) {
            name = alerts.getFirst().labels().getOrDefault("alertname", "");
        }
        return name.isEmpty() ? "unnamed alert" : name;
    }

    /** SHA-256 over the firing alerts' identities, sorted: the same group with the same alerts is the same incident. */
    String firingDigest() {
        List<String> ids =
                new ArrayList<>(firingAlerts().stream().map(Alert::identity).toList());
        ids.sort(null);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String id : ids) {
                sha.update(id.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    /** Reads a parsed body; anything that is not a version 4 payload is a 400 naming what is wrong. */
    static AlertmanagerPayload parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw invalid("body", "the body is not a JSON object");
        }
        String version = root.path("version").asText("");
        if (!version.equals("4")) {
            throw invalid(
                    "version",
                    "Drydock reads Alertmanager's webhook payload version 4, got '" + abbreviate(version) + "'");
        }
        String groupKey = required(root, "groupKey");
        String status = required(root, "status");
        if (!status.equals("firing") && !status.equals("resolved")) {
            throw invalid("status", "status is 'firing' or 'resolved', got '" + abbreviate(status) + "'");
        }
        JsonNode alerts = root.path("alerts");
        if (!alerts.isArray() || alerts.isEmpty()) {
            throw invalid("alerts", "alerts must be a non-empty array");
        }
        if (alerts.size() > MAX_ALERTS) {
            throw invalid("alerts", "at most " + MAX_ALERTS + " alerts per notification (max_alerts in the receiver)");
        }
        List<Alert> list = new ArrayList<>();
        int i = 0;
        for (JsonNode a : alerts) {
            String field = "alerts[" + i++ + "]";
            if (!a.isObject()) {
                throw invalid(field, field + " is not an object");
            }
            String s = a.path("status").asText("");
            if (!s.equals("firing") && !s.equals("resolved")) {
                throw invalid(field + ".status", field + ".status is 'firing' or 'resolved'");
            }
            list.add(new Alert(
                    s,
                    strings(a.path("labels"), field + ".labels"),
                    strings(a.path("annotations"), field + ".annotations"),
                    a.path("startsAt").asText(""),
                    a.path("endsAt").asText(""),
                    a.path("generatorURL").asText(""),
                    a.path("fingerprint").asText("")));
        }
        return new AlertmanagerPayload(
                groupKey,
                status,
                root.path("receiver").asText(""),
                strings(root.path("groupLabels"), "groupLabels"),
                strings(root.path("commonLabels"), "commonLabels"),
                strings(root.path("commonAnnotations"), "commonAnnotations"),
                root.path("externalURL").asText(""),
                root.path("truncatedAlerts").asInt(0),
                List.copyOf(list));
    }

    private static String required(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw invalid(field, field + " is required (a string)");
        }
        if (v.asText().length() > 10_000) {
            throw invalid(field, field + " is longer than 10000 characters");
        }
        return v.asText();
    }

    private static Map<String, String> strings(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid(field, field + " must be an object of strings");
        }
        Map<String, String> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw invalid(field, field + "." + abbreviate(e.getKey()) + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid-alert", "Invalid Alertmanager payload", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
