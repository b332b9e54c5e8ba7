package dev.drydock.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.server.agent.tool.CodeSearchPort;
import dev.drydock.server.agent.tool.ToolFailure;
import dev.drydock.server.agent.tool.Workspace;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.repository.PathLabels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClassifiedWorkspaceTest {
    final List<String> raised = new ArrayList<>();
    final Map<String, String> files = new HashMap<>(Map.of("README.md", "hi", "billing/rates.txt", "rate=3"));
    final PathLabels labels = PathLabels.validated(
            Classification.INTERNAL,
            List.of(new PathLabels.Label("billing", "confidential"), new PathLabels.Label("secrets", "secret")));
    final PathLabels otherRepo =
            PathLabels.validated(Classification.PUBLIC, List.of(new PathLabels.Label("hr/**", "secret")));
    final ContentClassification level = new ContentClassification(
            Classification.INTERNAL,
            Classification.CONFIDENTIAL,
            "billing",
            labels,
            Classification.CONFIDENTIAL,
            repo -> repo.equals("docs") ? Optional.of(otherRepo) : Optional.empty(),
            (from, to, reason) -> raised.add(from.label() + "->" + to.label() + ": " + reason));
    final ClassifiedWorkspace ws =
            new ClassifiedWorkspace(new MapWorkspace(files), level, labels.above(Classification.CONFIDENTIAL));

    @Test
    void shouldRaiseOnceWhenReadingLabelledFileAndNeverLowerAgain() {
        ws.read("README.md");
        ws.read("billing/rates.txt");
        ws.read("billing/rates.txt");
        ws.read("README.md");
        assertThat(level.current()).isEqualTo(Classification.CONFIDENTIAL);
        assertThat(raised).containsExactly("internal->confidential: read billing/rates.txt (labelled confidential)");
    }

    @Test
    void shouldRaiseToHighestPresentLabelWhenRunningCommand() {
        ws.run("grep -r rate .", Duration.ofSeconds(5));
        assertThat(level.current()).isEqualTo(Classification.CONFIDENTIAL);
        assertThat(raised).singleElement().asString().contains("ran a command");
    }

    @Test
    void shouldRefuseWritingWithheldPathAndKeepOthersWritable() {
        assertThatThrownBy(() -> ws.write("secrets/new.env", "x"))
                .isInstanceOf(ToolFailure.class)
                .hasMessageContaining("withheld")
                .hasMessageContaining("secret");
        ws.write("billing/new.txt", "y");
        assertThat(files).containsKey("billing/new.txt").doesNotContainKey("secrets/new.env");
    }

    @Test
    void shouldDropHitsAboveClearanceAndRaiseByTheOthersWhenSearching() {
        CodeSearchPort search = ws.search((q, limit) -> List.of(
                new CodeSearchPort.Hit("billing", "secrets/db.env", 1, 1, "leak"),
                new CodeSearchPort.Hit("docs", "hr/salaries.md", 1, 1, "leak"),
                new CodeSearchPort.Hit("unknown", "x.md", 1, 1, "leak"),
                new CodeSearchPort.Hit("docs", "guide.md", 1, 1, "ok"),
                new CodeSearchPort.Hit("billing", "billing/rates.txt", 1, 1, "ok")));
        List<CodeSearchPort.Hit> hits = search.search("rate", 10);
        assertThat(hits).extracting(CodeSearchPort.Hit::path).containsExactly("guide.md", "billing/rates.txt");
        assertThat(level.current()).isEqualTo(Classification.CONFIDENTIAL);
        assertThat(raised).singleElement().asString().contains("search hit in billing:billing/rates.txt");
    }

    /** Files in a map; commands do nothing. */
    record MapWorkspace(Map<String, String> files) implements Workspace {
        @Override
        public String read(String path) {
            String text = files.get(path);
            if (text == null) {
                throw new ToolFailure("no file " + path);
            }
            return text;
        }

        @Override
        public boolean isFile(String path) {
            return files.containsKey(path);
        }

        @Override
        public List<Entry> list(String directory) {
            return List.of();
        }

        @Override
        public CommandResult run(String commandLine, Duration timeout) {
            return new CommandResult(0, "", false);
        }

        @Override
        public void write(String path, String content) {
            files.put(path, content);
        }

        @Override
        public String diff() {
            return "";
        }

        @Override
        public void destroy() {}
    }
}
