package dev.drydock.installer.release;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * The short questionnaire of {@code install --ask}: the handful of values every site must decide, written
 * as a values file (secrets are never asked: they go into Secrets the team creates, named here).
 */
public final class ValuesQuestionnaire {
    /** One question: the values path it sets, the prompt, and the default (empty: leave unset). */
    record Question(String path, String prompt, String defaultValue) {}

    static final List<Question> QUESTIONS = List.of(
            new Question("global.imageRegistry", "Registry the cluster pulls from (as given to install push)", ""),
            new Question(
                    "database.url",
                    "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/drydock?sslmode=verify-full)",
                    ""),
            new Question("database.existingSecret", "Secret with the database user name and password", "drydock-db"),
            new Question("oidc.url", "Keycloak realm URL (https://keycloak.example/realms/drydock)", ""),
            new Question("oidc.existingSecret", "Secret with the portal and server client secrets", "drydock-oidc"),
            new Question("ingress.host", "Public host name of Drydock (empty: no Ingress)", ""),
            new Question(
                    "sandbox.runtimeClassName",
                    "RuntimeClass for sandboxes (gvisor, kata; empty: the default runtime)",
                    ""));

    private ValuesQuestionnaire() {}

    /** Asks every question on {@code out}, reads the answers from {@code in}, returns the values YAML. */
    public static String ask(BufferedReader in, PrintWriter out) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode values = yaml.createObjectNode();
        for (Question q : QUESTIONS) {
            out.print(q.prompt() + (q.defaultValue().isEmpty() ? "" : " [" + q.defaultValue() + "]") + ": ");
            out.flush();
            String line = in.readLine();
            String answer = line == null || line.isBlank() ? q.defaultValue() : line.strip();
            if (answer.isEmpty()) {
                continue;
            }
            String[] parts = q.path().split("\\.");
            ObjectNode at = values;
            for (int i = 0; i < parts.length - 1; i++) {
                at = at.get(parts[i]) instanceof ObjectNode o ? o : at.putObject(parts[i]);
            }
            at.put(parts[parts.length - 1], answer);
            if (q.path().equals("ingress.host")) {
                ((ObjectNode) values.get("ingress")).put("enabled", true);
            }
        }
        return "# Written by ./drydock install --ask; every key is described in the chart's values.yaml.\n"
                + yaml.copy()
                        .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .writeValueAsString(values);
    }
}
