package dev.drydock.server.gateway.dlp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in text: PEM private keys, AWS access keys and secret keys, GCP service-account keys
 * and API keys, GitHub/GitLab/Slack tokens, JWTs, and passwords or secrets assigned in configuration
 * files. Pure and thread-safe.
 */
public final class DlpScanner {
    /**
     * One kind of secret and how to find it; for {@code keepGroup > 0} only that group is replaced (the
     * key name stays). Every match of the pattern contains one of the {@code anchors} (compared
     * ignoring ASCII case when {@code anchorsIgnoreCase}); text without any is not run through the
     * pattern, which is what makes a clean prompt cheap to scan.
     */
    record Rule(String kind, Pattern pattern, int keepGroup, boolean anchorsIgnoreCase, List<String> anchors) {
        boolean mayMatch(String text, String lowerCase) {
            String haystack = anchorsIgnoreCase ? lowerCase : text;
            for (String anchor : anchors) {
                if (haystack.contains(anchor)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule("private-key", Pattern.compile("-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\\s\\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\\z)"), 0,
                    false, List.of("PRIVATE KEY-----")),
            new Rule("aws-access-key", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), 0, false, List.of("AKIA", "ASIA")),
            new Rule("aws-secret-key", Pattern.compile("(?i)(aws_secret_access_key\\s*[=:]\\s*[\"']?)([A-Za-z0-9/+=]{40})"), 2, true, List.of("aws_secret_access_key")),
            new Rule("gcp-service-account-key", Pattern.compile("\"private_key_id\"\\s*:\\s*\"[0-9a-f]{40}\""), 0, false, List.of("\"private_key_id\"")),
            new Rule("gcp-api-key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"), 0, false, List.of("AIza")),
            new Rule("github-token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b"), 0,
                    false, List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
            new Rule("gitlab-token", Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}\\b"), 0, false, List.of("glpat-")),
            new Rule("slack-token", Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}\\b"), 0, false, List.of("xox")),
            new Rule("jwt", Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\b"), 0, false, List.of("eyJ")),
            new Rule("password-in-config", Pattern.compile(
                    "(?im)((?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|client[_-]?secret)[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"'`,;()]{6,})(?![(\\w.])"), 2,
                    true, List.of("password", "passwd", "pwd", "secret", "apikey", "api_key", "api-key", "accesstoken", "access_token", "access-token")));

    private static final Pattern PLACEHOLDER = Pattern.compile("(?i)(x+|\\*+|changeme|example|redacted|password)");

    /** The outcome of one scan: the text with secrets replaced, and the count per kind. */
    public record Result(String redacted, Map<String, Integer> findings) {
        public boolean clean() {
            return findings.isEmpty();
        }
    }

    public Result scan(String text) {
        Map<String, Integer> findings = new LinkedHashMap<>();
        String current = text;
        String lowerCase = text.toLowerCase(Locale.ROOT);
        for (Rule rule : RULES) {
            if (!rule.mayMatch(current, lowerCase)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(current);
            StringBuilder out = new StringBuilder();
            int count = 0;
            while (m.find()) {
                String value = rule.keepGroup() == 0 ? m.group() : m.group(rule.keepGroup());
                if (value.startsWith("[REDACTED:") || looksLikePlaceholder(value)) {
                    continue;
                }
                count++;
                String replacement = rule.keepGroup() == 0
                        ? "[REDACTED:" + rule.kind() + "]"
                        : m.group(1) + "[REDACTED:" + rule.kind() + "]";
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            if (count > 0) {
                m.appendTail(out);
                current = out.toString();
                lowerCase = current.toLowerCase(Locale.ROOT);
                findings.merge(rule.kind(), count, Integer::sum);
            }
        }
        return new Result(current, findings);
    }

    private static boolean looksLikePlaceholder(String value) {
        return value.startsWith("${") || value.startsWith("<") || PLACEHOLDER.matcher(value).matches();
    }

    /** The finding entries as recorded: {@code kind×count}. */
    public static List<String> describe(Map<String, Integer> findings) {
        List<String> out = new ArrayList<>();
        findings.forEach((k, v) -> out.add(k + "×" + v));
        return out;
    }
}
