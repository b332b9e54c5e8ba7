package dev.drydock.server.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.server.agent.event.Action.Risk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandRiskTest {
    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
        "ls -la # READ_ONLY",
        "grep -rn foo src | head # READ_ONLY",
        "git status && git diff # READ_ONLY",
        "cat a.txt > b.txt # WRITES_WORKSPACE",
        "python3 -m unittest # WRITES_WORKSPACE",
        "mvn -q test # WRITES_WORKSPACE",
        "sed -i s/a/b/ f # WRITES_WORKSPACE",
        "curl http://x # NETWORK",
        "pip install requests # NETWORK",
        "git push origin main # NETWORK",
        "ls; wget http://x # NETWORK",
        "rm -rf build # DESTRUCTIVE",
        "git reset --hard HEAD~1 # DESTRUCTIVE",
        "find . -name '*.o' -delete # DESTRUCTIVE",
        "sudo ls # DESTRUCTIVE",
        "rm notes.txt # WRITES_WORKSPACE",
        "echo $(curl x) # NETWORK",
    })
    void shouldClassifyCommandsByRules(String command, Risk expected) {
        // When
        Risk risk = CommandRisk.classify(command);

        // Then
        assertThat(risk).isEqualTo(expected);
    }
}
