package dev.drydock.server.gateway.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scanner tries each rule's pattern only where one of its start strings occurs; this checks that
 * it finds and redacts exactly what running every pattern over the whole text does.
 */
class DlpScannerEquivalenceTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("(?i)(x+|\\*+|changeme|example|redacted|password)");

    /** Every rule's pattern with {@code find()} over the whole text: the definition the scanner implements. */
    private static DlpScanner.Result reference(String text) {
        Map<String, Integer> findings = new LinkedHashMap<>();
        String current = text;
        for (DlpScanner.Rule rule : DlpScanner.RULES) {
            Matcher m = rule.pattern().matcher(current);
            StringBuilder out = new StringBuilder();
            int count = 0;
            while (m.find()) {
                String value = rule.keepGroup() == 0 ? m.group() : m.group(rule.keepGroup());
                if (value.startsWith("[REDACTED:")
                        || value.startsWith("${")
                        || value.startsWith("<")
                        || PLACEHOLDER.matcher(value).matches()) {
                    continue;
                }
                count++;
                m.appendReplacement(
                        out,
                        Matcher.quoteReplacement(
                                (rule.keepGroup() == 0 ? "" : m.group(1)) + "[REDACTED:" + rule.kind() + "]"));
            }
            if (count > 0) {
                m.appendTail(out);
                current = out.toString();
                findings.merge(rule.kind(), count, Integer::sum);
            }
        }
        return new DlpScanner.Result(current, findings);
    }

    @Test
    void shouldRedactSecretsThatFollowCharactersOutsideTheBasicPlane() {
        // Given: emoji are two chars each, so every index after them is off by one per emoji in any one-byte view
        String text = "😀 password=hunter22secret and 😀😀 AKIAABCDEFGHIJKLMNOP";

        // When
        DlpScanner.Result r = new DlpScanner().scan(text);

        // Then
        assertThat(r.redacted())
                .isEqualTo("😀 password=[REDACTED:password-in-config] and 😀😀 [REDACTED:aws-access-key]");
        assertThat(r).isEqualTo(reference(text));
    }

    @Test
    void shouldRedactExactlyWhatEveryPatternOverTheWholeTextFinds() {
        // Given: texts assembled from key words in any case, separators, values, placeholders and non-ASCII look-alikes
        String[] fragments = {
            "password",
            "PASSWORD",
            "Passwd",
            "pwd",
            "secret",
            "Client_Secret",
            "client-secret",
            "clientsecret",
            "api_key",
            "API-KEY",
            "apikey",
            "access_token",
            "Access-Token",
            "aws_secret_access_key",
            "AWS_SECRET_ACCESS_KEY",
            "AKIA",
            "ASIA",
            "AIza",
            "ghp_",
            "gho_",
            "github_pat_",
            "glpat-",
            "xoxb-",
            "xox",
            "eyJ",
            ".",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----END RSA PRIVATE KEY-----",
            "-----BEGIN ",
            "\"private_key_id\"",
            " = ",
            ": ",
            "=",
            ":",
            "\"",
            "'",
            " ",
            "\n",
            "\t",
            "(",
            ",",
            "${DB}",
            "changeme",
            "<token>",
            "xxxxxx",
            "é",
            "ſecret",
            "\u212Aey",
            "ABCDEFGHIJKLMNOP",
            "0123456789abcdef0123456789abcdef01234567",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "s3cr3tValue",
            "hunter2",
            "abcdefghij1234567890ABCDEFGHIJ",
            "_",
            "-",
            "[REDACTED:x]",
            // whole secrets, so that most texts hold some, and characters outside Latin-1 before and between them
            "AKIAABCDEFGHIJKLMNOP",
            " password=hunter22secret ",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
            " ghp_abcdefghijklmnopqrstuvwxyz0123456789 ",
            " xoxb-1234567890-abcdef ",
            " eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ",
            "😀",
            "😀😀",
            "𝒜",
            "中文",
            "\uDC00"
        };
        Random random = new Random(11);
        DlpScanner scanner = new DlpScanner();
        int withFindings = 0;

        for (int n = 0; n < 5000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(14);
            for (int i = 0; i < length; i++) {
                text.append(fragments[random.nextInt(fragments.length)]);
            }

            // When
            DlpScanner.Result actual = scanner.scan(text.toString());

            // Then
            DlpScanner.Result expected = reference(text.toString());
            assertThat(actual.redacted()).as("text %s", text).isEqualTo(expected.redacted());
            assertThat(actual.findings()).as("text %s", text).isEqualTo(expected.findings());
            withFindings += expected.clean() ? 0 : 1;
        }
        assertThat(withFindings).as("texts with something to redact").isGreaterThan(2500);
    }
}
