package dev.drydock.server.portal;

import dev.drydock.search.Hit;
import dev.drydock.search.fusion.RankedList;
import dev.drydock.search.fusion.ReciprocalRankFusion;
import dev.drydock.server.auth.CurrentUser;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositoryContent;
import dev.drydock.server.repository.RepositoryContent.IndexedFile;
import dev.drydock.server.workspace.WorkspaceService;
import dev.drydock.server.workspace.WorkspaceService.WorkspaceView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /portal/search}: hybrid code search over the repositories of the caller's workspaces (or one
 * of them), through {@link RepositoryContent#search}, the retrieval path of the API and the droids;
 * workspaces' file rankings are fused by reciprocal rank as that method fuses repositories. Each hit
 * shows its file, line ranges and a highlighted snippet, and links to {@code /portal/search/code}: the
 * file at the indexed commit with the hit's lines marked. Every hit and every code view is read through
 * {@link RepositoryContent#indexedFile}, which checks the caller's role in the hit's workspace again.
 */
@Path("/portal/search")
@Authenticated
public class PortalSearchResource {
    /** Files shown per search. */
    static final int FILES = 20;
    /** Lines of a hit's snippet. */
    static final int SNIPPET_LINES = 8;

    @Inject
    CurrentUser currentUser;

    @Inject
    WorkspaceService workspaces;

    @Inject
    RepositoryContent content;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance search(
                Principal user,
                List<String> workspaces,
                String workspace,
                String q,
                boolean searched,
                List<Result> results,
                String error);

        static native TemplateInstance code(
                Principal user, IndexedFile file, String shortCommit, int from, int to, List<CodeLine> lines);
    }

    /** One file found: where it is, its hit line ranges (best first) and the first range's lines. */
    public record Result(
            String id,
            String workspace,
            String repo,
            String path,
            String symbol,
            List<Range> ranges,
            List<CodeLine> snippet,
            String href) {}

    /** A hit's lines, and the code view at them. */
    public record Range(int from, int to, String href) {
        public String label() {
            return from == to ? "line " + from : "lines " + from + "–" + to;
        }
    }

    /** A numbered line of code, highlighted; {@code hit} when it is part of the hit. */
    public record CodeLine(int number, boolean hit, List<SyntaxHighlight.Segment> segments) {}

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance search(@QueryParam("q") @Nullable String q, @QueryParam("workspace") @Nullable String ws) {
        Principal user = currentUser.principal();
        List<String> mine =
                workspaces.list(user).stream().map(WorkspaceView::slug).toList();
        String text = PortalAdminResource.text(q).strip();
        String only = PortalAdminResource.text(ws);
        if (text.isEmpty()) {
            return Templates.search(user, mine, only, "", false, List.of(), "");
        }
        List<String> scope = only.isEmpty() ? mine : List.of(only);
        try {
            return Templates.search(user, mine, only, text, true, results(user, scope, text), "");
        } catch (ProblemException e) {
            if (e.problem().status() != 400) {
                throw e;
            }
            return Templates.search(
                    user, mine, only, text, true, List.of(), e.problem().detail());
        }
    }

    @GET
    @Path("/code")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance code(
            @QueryParam("workspace") @Nullable String workspace,
            @QueryParam("repo") @Nullable String repo,
            @QueryParam("path") @Nullable String path,
            @QueryParam("from") @Nullable Integer from,
            @QueryParam("to") @Nullable Integer to) {
        if (workspace == null || repo == null || path == null) {
            throw ProblemException.badRequest("workspace, repo and path are required");
        }
        Principal user = currentUser.principal();
        IndexedFile file = content.indexedFile(user, workspace, repo, path);
        int a = from == null ? 0 : from;
        int b = to == null ? a : Math.max(a, to);
        List<CodeLine> lines = lines(file, 1, Integer.MAX_VALUE, a, b);
        return Templates.code(
                user,
                file,
                file.commit().substring(0, Math.min(10, file.commit().length())),
                a,
                b,
                lines);
    }

    /** The fused file ranking of the workspaces in {@code scope}, each file read again under the caller's rights. */
    private List<Result> results(Principal user, List<String> scope, String text) {
        List<RankedList<String>> lists = new ArrayList<>();
        Map<String, List<Hit>> byFile = new LinkedHashMap<>();
        for (String slug : scope) {
            List<String> files = new ArrayList<>();
            for (Hit h : content.search(user, slug, text, FILES)) {
                String key = slug + "\0" + h.repo() + "\0" + h.path();
                if (!byFile.containsKey(key)) {
                    files.add(key);
                }
                byFile.computeIfAbsent(key, k -> new ArrayList<>()).add(h);
            }
            lists.add(new RankedList<>(slug, 1.0, files));
        }
        List<Result> out = new ArrayList<>();
        for (var fused : ReciprocalRankFusion.fuse(lists, ReciprocalRankFusion.DEFAULT_K)) {
            if (out.size() == FILES) {
                break;
            }
            String slug = fused.item().substring(0, fused.item().indexOf('\0'));
            List<Hit> hits = byFile.getOrDefault(fused.item(), List.of());
            if (hits.isEmpty()) {
                continue;
            }
            Hit first = hits.getFirst();
            IndexedFile file;
            try {
                file = content.indexedFile(user, slug, first.repo(), first.path());
            } catch (ProblemException e) {
                // re-indexed or removed since the search, or too large to show: the hit is left out, not the page
                continue;
            }
            List<Range> ranges = hits.stream()
                    .map(h -> new Range(
                            h.startLine(), h.endLine(), codeHref(slug, h.repo(), h.path(), h.startLine(), h.endLine())))
                    .toList();
            int from = firstMatchingLine(file, first.startLine(), first.endLine(), terms(text));
            int end = Math.min(first.endLine(), from + SNIPPET_LINES - 1);
            out.add(new Result(
                    "hit-" + (out.size() + 1),
                    slug,
                    first.repo(),
                    first.path(),
                    first.symbol(),
                    ranges,
                    marked(lines(file, from, end, first.startLine(), first.endLine()), terms(text)),
                    ranges.getFirst().href()));
        }
        return out;
    }

    /** Lines {@code first}..{@code last} of the file (1-based, clipped), lines {@code hitFrom}..{@code hitTo} marked. */
    static List<CodeLine> lines(IndexedFile file, int first, int last, int hitFrom, int hitTo) {
        String[] all = file.text().split("\r?\n", -1);
        int count = all.length > 0 && all[all.length - 1].isEmpty() ? all.length - 1 : all.length;
        var tokens = SyntaxHighlight.tokensFor(file.path());
        List<CodeLine> out = new ArrayList<>();
        for (int n = Math.max(1, first); n <= Math.min(count, last); n++) {
            out.add(new CodeLine(n, n >= hitFrom && n <= hitTo, SyntaxHighlight.line(all[n - 1], tokens)));
        }
        return out;
    }

    /** The query's words of three or more letters, as one case-insensitive pattern; null when there is none. */
    static java.util.regex.@Nullable Pattern terms(String text) {
        List<String> words = java.util.Arrays.stream(text.split("[^\\p{L}\\p{N}_]+"))
                .filter(w -> w.length() >= 3)
                .distinct()
                .map(java.util.regex.Pattern::quote)
                .toList();
        return words.isEmpty()
                ? null
                : java.util.regex.Pattern.compile(
                        String.join("|", words),
                        java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE);
    }

    /** The first line of {@code from}..{@code to} holding a query word, so the snippet shows why it matched; else {@code from}. */
    static int firstMatchingLine(IndexedFile file, int from, int to, java.util.regex.@Nullable Pattern terms) {
        if (terms == null) {
            return from;
        }
        String[] all = file.text().split("\r?\n", -1);
        for (int n = Math.max(1, from); n <= Math.min(all.length, to); n++) {
            if (terms.matcher(all[n - 1]).find()) {
                return n;
            }
        }
        return from;
    }

    /** The lines with each query word in its own segment, marked {@code term} (next to its syntax class). */
    static List<CodeLine> marked(List<CodeLine> lines, java.util.regex.@Nullable Pattern terms) {
        if (terms == null) {
            return lines;
        }
        List<CodeLine> out = new ArrayList<>();
        for (CodeLine line : lines) {
            List<SyntaxHighlight.Segment> segments = new ArrayList<>();
            for (SyntaxHighlight.Segment seg : line.segments()) {
                var m = terms.matcher(seg.text());
                int at = 0;
                while (m.find()) {
                    if (m.start() > at) {
                        segments.add(new SyntaxHighlight.Segment(
                                seg.css(), seg.text().substring(at, m.start())));
                    }
                    segments.add(new SyntaxHighlight.Segment((seg.css() + " term").strip(), m.group()));
                    at = m.end();
                }
                if (at < seg.text().length() || seg.text().isEmpty()) {
                    segments.add(
                            new SyntaxHighlight.Segment(seg.css(), seg.text().substring(at)));
                }
            }
            out.add(new CodeLine(line.number(), line.hit(), segments));
        }
        return out;
    }

    static String codeHref(String workspace, String repo, String path, int from, int to) {
        return "/portal/search/code?workspace=" + encode(workspace) + "&repo=" + encode(repo) + "&path=" + encode(path)
                + "&from=" + from + "&to=" + to + "#L" + from;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
