package dev.drydock.server.repository;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.gateway.GatewayService;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.persistence.UniqueViolation;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where repositories may come from: the local roots and allowed git hosts of the configuration
 * ({@code drydock.repos.*}) merged with those a drydock-admin added at runtime (table {@code
 * repository_source}). Lookups read the table, so a change applies to the next registration or sync
 * without a restart; every change is audited. Allowed git hosts also join the egress allow-list.
 */
@ApplicationScoped
public class RepositorySources {
    private static final Pattern HOST =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final String LOCAL_ROOT = "local-root";
    private static final String GIT_HOST = "git-host";

    @Inject
    RepositoryConfig config;

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    EgressGuard egress;

    @Inject
    GatewayService gateway;

    /**
     * One local root or git host, and where it comes from ({@code config} or {@code runtime}).
     * {@code workspaces} limits a local root to those workspaces; empty: every workspace.
     */
    public record Source(
            String value,
            String origin,
            @Nullable String addedBy,
            @Nullable String addedAt,
            List<String> workspaces) {
        public Source(String value, String origin, @Nullable String addedBy, @Nullable String addedAt) {
            this(value, origin, addedBy, addedAt, List.of());
        }

        public boolean removable() {
            return origin.equals("runtime");
        }

        /** Whether repositories of {@code workspace} may be registered under this root. */
        public boolean serves(String workspace) {
            return workspaces.isEmpty() || workspaces.contains(workspace);
        }
    }

    /** A workspace slug in a local root's workspace list. */
    private static final Pattern WORKSPACE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** Every source in force, configured ones first. */
    public record SourcesView(List<Source> localRoots, List<Source> allowedHosts) {}

    /** The allowed git hosts join the server's one egress allow-list, so every fetch passes the same guard. */
    @PostConstruct
    void allowGitHosts() {
        allowedHosts().forEach(egress::allowHost);
    }

    /** Picks up hosts added through another server replica. */
    @Scheduled(every = "30s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshEgress() {
        allowGitHosts();
    }

    /** Git hosts repositories may be registered from: configured, then added at runtime (lower case, exact names). */
    public List<String> allowedHosts() {
        Set<String> out = new LinkedHashSet<>();
        configuredHosts().forEach(out::add);
        stored(GIT_HOST).forEach(s -> out.add(s.value()));
        return List.copyOf(out);
    }

    /** Server folders repositories may be registered from by path: configured, then added at runtime. */
    public List<String> localRoots() {
        Set<String> out = new LinkedHashSet<>();
        configuredRoots().forEach(r -> out.add(r.value()));
        stored(LOCAL_ROOT).forEach(s -> out.add(s.value()));
        return List.copyOf(out);
    }

    /** The local roots that repositories of {@code workspace} may be registered under (roots limited to other workspaces left out). */
    public List<String> localRootsFor(String workspace) {
        Set<String> out = new LinkedHashSet<>();
        configuredRoots().stream().filter(r -> r.serves(workspace)).forEach(r -> out.add(r.value()));
        stored(LOCAL_ROOT).stream().filter(r -> r.serves(workspace)).forEach(r -> out.add(r.value()));
        return List.copyOf(out);
    }

    /**
     * The configured local roots: each entry is a folder, optionally followed by {@code =} and the
     * workspaces it serves joined by {@code +} ({@code /srv/git/team-a=demo+other}); a plain folder
     * serves every workspace, as before.
     */
    List<Source> configuredRoots() {
        List<Source> out = new ArrayList<>();
        for (String entry : config.localRoots().orElse(List.of())) {
            String e = entry.strip();
            int eq = e.lastIndexOf('=');
            List<String> workspaces = List.of();
            if (eq > 0) {
                List<String> named = List.of(e.substring(eq + 1).split("\\+"));
                if (named.stream().allMatch(w -> WORKSPACE.matcher(w).matches())) {
                    workspaces = named;
                    e = e.substring(0, eq);
                }
            }
            if (!e.isEmpty()) {
                out.add(new Source(e, "config", null, null, workspaces));
            }
        }
        return out;
    }

    /** The sources with their origin, for drydock-admins. */
    public SourcesView view(Principal caller) {
        requireAdmin(caller);
        List<Source> roots = new ArrayList<>();
        roots.addAll(configuredRoots());
        stored(LOCAL_ROOT).stream()
                .filter(s -> roots.stream().noneMatch(r -> r.value().equals(s.value())))
                .forEach(roots::add);
        List<Source> hosts = new ArrayList<>();
        configuredHosts().forEach(h -> hosts.add(new Source(h, "config", null, null)));
        stored(GIT_HOST).stream()
                .filter(s -> hosts.stream().noneMatch(h -> h.value().equals(s.value())))
                .forEach(hosts::add);
        return new SourcesView(List.copyOf(roots), List.copyOf(hosts));
    }

    /** Adds a server folder under which repositories of every workspace may be registered by path; drydock-admins only. */
    public SourcesView addLocalRoot(Principal caller, @Nullable String path) {
        return addLocalRoot(caller, path, null);
    }

    /**
     * Adds a server folder under which repositories may be registered by path, limited to {@code
     * workspaces} (null or empty: every workspace); drydock-admins only.
     */
    public SourcesView addLocalRoot(Principal caller, @Nullable String path, @Nullable List<String> workspaces) {
        requireAdmin(caller);
        String root = checkedRoot(path);
        List<String> limited = checkedWorkspaces(workspaces);
        if (localRoots().contains(root)) {
            throw ProblemException.conflict("'" + root + "' is already a local root.");
        }
        insert(LOCAL_ROOT, root, caller, limited.isEmpty() ? null : String.join(",", limited));
        audit.append(AuditEntry.of(caller.subject(), "repository-source.added", "local-root " + root)
                .with("by", caller.username())
                .with("workspaces", limited.isEmpty() ? "*" : String.join(",", limited)));
        return view(caller);
    }

    private static List<String> checkedWorkspaces(@Nullable List<String> workspaces) {
        if (workspaces == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String w : workspaces) {
            String slug = w == null ? "" : w.strip();
            if (!WORKSPACE.matcher(slug).matches()) {
                throw field(
                        "workspaces",
                        "workspaces lists workspace slugs (lower-case letters, digits and '-'), not '" + slug + "'");
            }
            if (!out.contains(slug)) {
                out.add(slug);
            }
        }
        return List.copyOf(out);
    }

    /** Removes a local root added at runtime; repositories already registered under it stop syncing. */
    public SourcesView removeLocalRoot(Principal caller, @Nullable String path) {
        requireAdmin(caller);
        String root = path == null ? "" : path.strip();
        if (configuredRoots().stream().anyMatch(r -> r.value().equals(root))) {
            throw ProblemException.conflict(
                    "'" + root + "' is defined in configuration (drydock.repos.local-roots); remove it there.");
        }
        if (!delete(LOCAL_ROOT, root)) {
            throw ProblemException.notFound("Local root '" + root + "'");
        }
        audit.append(AuditEntry.of(caller.subject(), "repository-source.removed", "local-root " + root)
                .with("by", caller.username()));
        return view(caller);
    }

    /** Adds a git host repositories may be registered and fetched from; it joins the egress allow-list at once. */
    public SourcesView addAllowedHost(Principal caller, @Nullable String host) {
        requireAdmin(caller);
        String h = checkedHost(host);
        if (allowedHosts().contains(h)) {
            throw ProblemException.conflict("Git host '" + h + "' is already allowed.");
        }
        insert(GIT_HOST, h, caller);
        egress.allowHost(h);
        audit.append(AuditEntry.of(caller.subject(), "repository-source.added", "git-host " + h)
                .with("by", caller.username()));
        return view(caller);
    }

    /** Removes a git host added at runtime; it leaves the egress allow-list unless a model endpoint or the configuration uses it. */
    public SourcesView removeAllowedHost(Principal caller, @Nullable String host) {
        requireAdmin(caller);
        String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        if (configuredHosts().contains(h)) {
            throw ProblemException.conflict(
                    "Git host '" + h + "' is defined in configuration (drydock.repos.allowed-hosts); remove it there.");
        }
        if (!delete(GIT_HOST, h)) {
            throw ProblemException.notFound("Allowed git host '" + h + "'");
        }
        if (!gateway.allowedModelHosts().contains(h)) {
            egress.disallowHost(h);
        }
        audit.append(AuditEntry.of(caller.subject(), "repository-source.removed", "git-host " + h)
                .with("by", caller.username()));
        return view(caller);
    }

    private static void requireAdmin(Principal caller) {
        if (!caller.isDrydockAdmin()) {
            throw ProblemException.forbidden("Only a drydock-admin may change where repositories come from.");
        }
    }

    private List<String> configuredHosts() {
        return config.allowedHosts().orElse(List.of()).stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .toList();
    }

    private static String checkedHost(@Nullable String host) {
        String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        if (h.isEmpty()) {
            throw field("host", "host is required: the name of a git server, e.g. git.internal.example");
        }
        if (h.contains("/") || h.contains(":") || h.contains("@")) {
            throw field(
                    "host", "host is a host name only (e.g. git.internal.example), without scheme, port, path or user");
        }
        if (!HOST.matcher(h).matches()) {
            throw field("host", "host '" + h + "' is not a valid host name (letters, digits, '-' and '.')");
        }
        return h;
    }

    private static String checkedRoot(@Nullable String path) {
        String p = path == null ? "" : path.strip();
        if (p.isEmpty()) {
            throw field("path", "path is required: an absolute folder on the server, e.g. /srv/git");
        }
        Path requested;
        try {
            requested = Path.of(p);
        } catch (InvalidPathException e) {
            throw field("path", "path '" + p + "' is not a valid path");
        }
        if (!requested.isAbsolute()) {
            throw field("path", "path must be absolute (start with /)");
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (IOException e) {
            throw field("path", "path '" + p + "' does not exist on the server or is not readable by it");
        }
        if (!Files.isDirectory(real)) {
            throw field("path", "path '" + p + "' is not a folder");
        }
        if (real.getParent() == null) {
            throw field(
                    "path",
                    "the root of the file system cannot be a local root; name the folder that holds the repositories");
        }
        return real.toString();
    }

    private static ProblemException field(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid-repository-source", "Invalid repository source", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }

    private List<Source> stored(String kind) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select value, added_by, added_at, workspaces from repository_source where kind = ?1 order by added_at, value")
                    .setParameter(1, kind)
                    .getResultList();
            return rows.stream()
                    .map(r -> {
                        String workspaces = (String) r[3];
                        return new Source(
                                (String) r[0],
                                "runtime",
                                (String) r[1],
                                Columns.instant(r[2]).toString(),
                                workspaces == null || workspaces.isBlank()
                                        ? List.<String>of()
                                        : List.of(workspaces.split(",")));
                    })
                    .toList();
        });
    }

    private void insert(String kind, String value, Principal caller) {
        insert(kind, value, caller, null);
    }

    private void insert(String kind, String value, Principal caller, @Nullable String workspaces) {
        try {
            QuarkusTransaction.joiningExisting()
                    .run(() -> em.createNativeQuery(
                                    "insert into repository_source (kind, value, added_by, workspaces) values (?1, ?2, ?3, nullif(?4, ''))")
                            .setParameter(1, kind)
                            .setParameter(2, value)
                            .setParameter(3, caller.username())
                            .setParameter(4, workspaces == null ? "" : workspaces)
                            .executeUpdate());
        } catch (RuntimeException e) {
            if (UniqueViolation.causes(e)) {
                throw ProblemException.conflict("'" + value + "' was just added by someone else.");
            }
            throw e;
        }
    }

    private boolean delete(String kind, String value) {
        return QuarkusTransaction.joiningExisting()
                        .call(() -> em.createNativeQuery("delete from repository_source where kind = ?1 and value = ?2")
                                .setParameter(1, kind)
                                .setParameter(2, value)
                                .executeUpdate())
                > 0;
    }
}
