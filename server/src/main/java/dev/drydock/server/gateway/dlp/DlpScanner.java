package dev.drydock.server.gateway.dlp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
     * key name stays). Every match of the pattern <em>starts</em> with one of the {@code starts}
     * (compared ignoring ASCII case when {@code ignoreCase}, as the pattern's {@code (?i)} does), so
     * the pattern is only tried where one of them occurs: the scan costs a few string searches per
     * kilobyte instead of trying an alternation of key words at every position of a prompt that can be
     * hundreds of kilobytes long.
     */
    record Rule(String kind, Pattern pattern, int keepGroup, boolean ignoreCase, List<String> starts) {}

    static final List<Rule> RULES = List.of(
            new Rule(
                    "private-key",
                    Pattern.compile(
                            "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\\s\\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\\z)"),
                    0,
                    false,
                    List.of("-----BEGIN ")),
            new Rule(
                    "aws-access-key",
                    Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
                    0,
                    false,
                    List.of("AKIA", "ASIA")),
            new Rule(
                    "aws-secret-key",
                    Pattern.compile("(?i)(aws_secret_access_key\\s*[=:]\\s*[\"']?)([A-Za-z0-9/+=]{40})"),
                    2,
                    true,
                    List.of("aws_secret_access_key")),
            new Rule(
                    "gcp-service-account-key",
                    Pattern.compile("\"private_key_id\"\\s*:\\s*\"[0-9a-f]{40}\""),
                    0,
                    false,
                    List.of("\"private_key_id\"")),
            new Rule("gcp-api-key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"), 0, false, List.of("AIza")),
            new Rule(
                    "github-token",
                    Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b"),
                    0,
                    false,
                    List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
            new Rule("gitlab-token", Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}\\b"), 0, false, List.of("glpat-")),
            new Rule("slack-token", Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}\\b"), 0, false, List.of("xox")),
            new Rule(
                    "jwt",
                    Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\b"),
                    0,
                    false,
                    List.of("eyJ")),
            new Rule(
                    "password-in-config",
                    Pattern.compile(
                            "(?im)((?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|client[_-]?secret)[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"'`,;()]{6,})(?![(\\w.])"),
                    2,
                    true,
                    List.of(
                            "passw",
                            "pwd",
                            "secret",
                            "apikey",
                            "api_key",
                            "api-key",
                            "accesstoken",
                            "access_token",
                            "access-token",
                            "clientsecret",
                            "client_secret",
                            "client-secret")));

    private static final Pattern PLACEHOLDER = Pattern.compile("(?i)(x+|\\*+|changeme|example|redacted|password)");

    /** The outcome of one scan: the text with secrets replaced, and the count per kind. */
    public record Result(String redacted, Map<String, Integer> findings) {
        public boolean clean() {
            return findings.isEmpty();
        }
    }

    /** For each pair of case-folded ASCII characters ({@code first << 7 | second}) that begins a start string: the (rule, start) pairs beginning with it. */
    private static final StartIndex STARTS = new StartIndex(RULES);

    public Result scan(String text) {
        Map<String, Integer> findings = new LinkedHashMap<>();
        String current = text;
        int[][] starts = STARTS.find(current);
        for (int r = 0; r < RULES.size(); r++) {
            Rule rule = RULES.get(r);
            if (starts[r].length == 0) {
                continue;
            }
            Matcher m =
                    rule.pattern().matcher(current).useTransparentBounds(true).useAnchoringBounds(false);
            StringBuilder out = new StringBuilder();
            int copied = 0;
            int count = 0;
            for (int start : starts[r]) {
                if (start < copied || !m.region(start, current.length()).lookingAt()) {
                    continue;
                }
                String value = rule.keepGroup() == 0 ? m.group() : m.group(rule.keepGroup());
                if (value.startsWith("[REDACTED:") || looksLikePlaceholder(value)) {
                    continue;
                }
                count++;
                out.append(current, copied, m.start())
                        .append(rule.keepGroup() == 0 ? "" : m.group(1))
                        .append("[REDACTED:")
                        .append(rule.kind())
                        .append(']');
                copied = m.end();
            }
            if (count > 0) {
                current = out.append(current, copied, current.length()).toString();
                starts = STARTS.find(current);
                findings.merge(rule.kind(), count, Integer::sum);
            }
        }
        return new Result(current, findings);
    }

    /**
     * Finds where the rules' start strings occur in one pass over the text: at each position the pair
     * of case-folded characters there is looked up in one bitmap, and only the start strings beginning
     * with that pair are compared (ignoring case or not, as their rule does).
     */
    private static final class StartIndex {
        /** ASCII case folding; every other char maps to 0, which begins no start string. */
        private static final byte[] FOLD = new byte[128];

        private final long[] pairs = new long[(128 * 128) / 64];
        private final Start[][] byPair = new Start[128 * 128][];
        private final int rules;

        static {
            for (int c = 1; c < 128; c++) {
                FOLD[c] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            }
        }

        /** A start string of rule number {@code rule}, compared ignoring ASCII case or not. */
        private record Start(int rule, String text, boolean ignoreCase) {}

        StartIndex(List<Rule> rules) {
            this.rules = rules.size();
            for (int r = 0; r < rules.size(); r++) {
                Rule rule = rules.get(r);
                for (String start : rule.starts()) {
                    int pair = FOLD[start.charAt(0)] << 7 | FOLD[start.charAt(1)];
                    pairs[pair >>> 6] |= 1L << pair;
                    Start[] known = byPair[pair] == null ? new Start[0] : byPair[pair];
                    byPair[pair] = Arrays.copyOf(known, known.length + 1);
                    byPair[pair][known.length] = new Start(r, start, rule.ignoreCase());
                }
            }
        }

        /** Per rule, the ascending positions where one of its start strings occurs. */
        int[][] find(String text) {
            int[][] found = new int[rules][];
            int[] sizes = new int[rules];
            for (int r = 0; r < rules; r++) {
                found[r] = new int[4];
            }
            // one bitmap lookup per position: the pair of case-folded chars ending there; the folded char
            // of one step is the first of the next. Indexes stay those of the text (a Latin-1 byte view
            // would not: it encodes a surrogate pair as one byte).
            char[] chars = text.toCharArray();
            int previous = 0;
            for (int i = 0; i < chars.length; i++) {
                char c = chars[i];
                int folded = c < 128 ? FOLD[c] : 0;
                int pair = previous << 7 | folded;
                if ((pairs[pair >>> 6] & 1L << pair) != 0) {
                    collect(text, i - 1, pair, found, sizes);
                }
                previous = folded;
            }
            for (int r = 0; r < rules; r++) {
                found[r] = Arrays.copyOf(found[r], sizes[r]);
            }
            return found;
        }

        private void collect(String text, int at, int pair, int[][] found, int[] sizes) {
            for (Start start : byPair[pair]) {
                if (!text.regionMatches(
                        start.ignoreCase(), at, start.text(), 0, start.text().length())) {
                    continue;
                }
                int rule = start.rule();
                int n = sizes[rule];
                if (n > 0 && found[rule][n - 1] == at) {
                    continue;
                }
                if (n == found[rule].length) {
                    found[rule] = Arrays.copyOf(found[rule], n * 2);
                }
                found[rule][n] = at;
                sizes[rule] = n + 1;
            }
        }
    }

    private static boolean looksLikePlaceholder(String value) {
        return value.startsWith("${")
                || value.startsWith("<")
                || PLACEHOLDER.matcher(value).matches();
    }

    /** The finding entries as recorded: {@code kind×count}. */
    public static List<String> describe(Map<String, Integer> findings) {
        List<String> out = new ArrayList<>();
        findings.forEach((k, v) -> out.add(k + "×" + v));
        return out;
    }
}
