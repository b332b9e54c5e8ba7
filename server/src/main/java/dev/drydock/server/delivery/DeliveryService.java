package dev.drydock.server.delivery;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.delivery.DeliveryCredentials.Credential;
import dev.drydock.server.delivery.DeliveryStore.Delivered;
import dev.drydock.server.delivery.DeliveryStore.Settings;
import dev.drydock.server.droid.GitMirrorPublisher;
import dev.drydock.server.droid.GitMirrors;
import dev.drydock.server.egress.EgressGuard;
import dev.drydock.server.egress.EgressRefusedException;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.repository.RepositoryRegistry;
import dev.drydock.server.repository.RepositoryRegistry.Upstream;
import dev.drydock.server.session.SessionService;
import dev.drydock.server.session.SessionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A session's way out of the server: its agent branch (the agent ref in the mirror, which syncs never
 * prune), the push of that branch to the repository's git server, and the merge request opened (then
 * updated) through the server's API. Pushes and merge requests run in the server with the
 * repository's delivery credential; each one, and each refused push, is sealed in the audit trail.
 */
@ApplicationScoped
public class DeliveryService {
    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    @Inject
    SessionService sessions;

    @Inject
    jakarta.enterprise.event.Event<MergeRequestOpened> opened;

    @Inject
    RepositoryRegistry repositories;

    @Inject
    GitMirrors mirrors;

    @Inject
    DeliveryStore store;

    @Inject
    DeliveryCredentials credentials;

    @Inject
    EgressGuard egress;

    @Inject
    AuditTrail audit;

    @Inject
    dev.drydock.server.secret.WorkspaceSecrets secrets;

    @Inject
    DeliveryTracker tracker;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** The agent branch in the server's mirror: the ref that holds it, its newest commit, its provenance trailers and the files it changes. */
    public record AgentBranch(
            String branch,
            String ref,
            String commit,
            String baseCommit,
            int commits,
            String subject,
            List<String> files,
            Map<String, String> trailers) {}

    /** The last push: where to, which commit, when and by whom; {@code current} when the agent branch has not moved since. */
    public record Push(String branch, String commit, Instant at, String by, boolean current) {}

    /** The merge request of the session, as last opened or updated. */
    public record MergeRequest(long number, String url, boolean draft, String commit, Instant updatedAt) {}

    /** A session's delivery; {@code server} names the configured git server kind, or is null when none is configured. */
    public record DeliveryView(
            String sessionId,
            String workspace,
            String repo,
            @Nullable AgentBranch agentBranch,
            @Nullable Push push,
            @Nullable MergeRequest mergeRequest,
            @Nullable String server) {}

    /** Body of a push: the target branch ({@code drydock/<session>} when omitted). */
    public record PushRequest(@Nullable String branch) {}

    /** A repository's delivery settings as a workspace admin sets them. */
    public record SettingsRequest(
            @Nullable String server,
            @Nullable String apiUrl,
            @Nullable String project,
            @Nullable List<String> protectedBranches,
            @Nullable String hookSecret,
            @Nullable String ticketLabel,
            @Nullable List<String> labels,
            @Nullable Boolean mintTokens) {}

    /** A repository's delivery settings as the API shows them (no credential). */
    public record SettingsView(
            String workspace,
            String repo,
            String server,
            String apiUrl,
            String project,
            List<String> protectedBranches,
            boolean credentialConfigured,
            String updatedBy,
            Instant updatedAt,
            @Nullable String hookSecret,
            @Nullable String ticketLabel,
            List<String> labels,
            boolean mintTokens) {}

    public DeliveryView view(Principal who, String sessionId) {
        SessionView session = sessions.get(who, sessionId);
        return view(session, agent(session).orElse(null));
    }

    /** A session's change as a patch file: its name ({@code drydock-<session>.patch}) and its text. */
    public record Patch(String filename, String text) {}

    /**
     * The agent branch's commits as {@code git format-patch --stdout} writes them, for anyone who may
     * read the session (viewers too: it holds nothing the session page does not show).
     */
    public Patch patch(Principal who, String sessionId) {
        SessionView session = sessions.get(who, sessionId);
        String none = "session " + sessionId + " published no change (the droid made none, or was not a code droid)";
        if (session.repo().isEmpty()) {
            throw ProblemException.conflict(none);
        }
        Path mirror =
                mirrors.mirror(session.workspace(), session.repo()).orElseThrow(() -> ProblemException.conflict(none));
        try {
            String text = AgentCommits.formatPatch(mirror, GitMirrorPublisher.ref(session.id()), session.id())
                    .orElseThrow(() -> ProblemException.conflict(none));
            return new Patch("drydock-" + session.id() + ".patch", text);
        } catch (java.io.IOException e) {
            LOG.warnf("session %s: cannot read its agent ref in %s: %s", session.id(), mirror, e.getMessage());
            throw ProblemException.conflict("the change of session " + sessionId
                    + " cannot be read from the mirror; sync the repository and try again");
        }
    }

    /** Pushes the session's agent branch to the repository's git server (members of the workspace). */
    public DeliveryView push(Principal who, String sessionId, @Nullable PushRequest request) {
        SessionView session = deliverable(who, sessionId);
        ReentrantLock lock = locks.computeIfAbsent(sessionId, k -> new ReentrantLock());
        EgressGuard.Attribution onBehalf = EgressGuard.onBehalfOf(sessionId);
        lock.lock();
        try {
            AgentCommits agent = pushLocked(who, session, request == null ? null : request.branch());
            return view(session, agent);
        } finally {
            lock.unlock();
            onBehalf.close();
        }
    }

    /**
     * Pushes the agent branch (when it moved) and opens the session's merge request, or updates it when
     * it was opened before (the session continued after review). A draft when the tests were not run.
     */
    public DeliveryView deliver(Principal who, String sessionId, URI sessionLink) {
        SessionView session = deliverable(who, sessionId);
        Settings settings = store.settings(session.workspace(), session.repo())
                .orElseThrow(() -> new ProblemException(Problem.of(
                        409,
                        "delivery-not-configured",
                        "No git server configured",
                        "Repository '" + session.repo()
                                + "' has no git server for merge requests; a workspace admin sets one with PUT /api/workspaces/"
                                + session.workspace() + "/repositories/" + session.repo() + "/delivery.")));
        Credential credential = credentials
                .forRepository(session.workspace(), session.repo())
                .orElseThrow(() -> new ProblemException(Problem.of(
                        409,
                        "delivery-credential-missing",
                        "No delivery credential",
                        "Repository '" + session.repo()
                                + "' has no credential for its git server (credentialsSecret).")));
        ReentrantLock lock = locks.computeIfAbsent(sessionId, k -> new ReentrantLock());
        EgressGuard.Attribution onBehalf = EgressGuard.onBehalfOf(sessionId);
        lock.lock();
        try {
            Optional<Delivered> before = store.delivered(sessionId);
            AgentCommits agent =
                    pushLocked(who, session, before.map(Delivered::branch).orElse(null));
            Delivered pushed = store.delivered(sessionId).orElseThrow();
            Upstream upstream =
                    repositories.upstream(session.workspace(), session.repo()).orElseThrow();
            GitServer server = server(settings, credential);
            GitServer.Draft draft = new GitServer.Draft(
                    pushed.branch(),
                    upstream.defaultBranch(),
                    agent.subject(),
                    MergeRequestText.description(session, agent, sessionLink, who.username()),
                    !agent.testsPassed(),
                    settings.mrLabels());
            Long existing = before.map(Delivered::mrNumber).orElse(null);
            GitServer.MergeRequest mr;
            try {
                mr = existing == null ? server.open(draft) : server.update(existing, draft);
            } catch (GitServer.GitServerException e) {
                audit.append(entry(who, session, "delivery.merge-request-failed")
                        .with("server", settings.kind().label())
                        .with("reason", e.getMessage()));
                throw new ProblemException(Problem.of(
                        502,
                        "git-server-error",
                        "The git server refused the merge request",
                        Objects.requireNonNullElse(e.getMessage(), e.toString())));
            }
            Instant now = clock.instant();
            store.mergeRequest(sessionId, mr, agent.head(), now);
            audit.append(entry(
                            who,
                            session,
                            existing == null ? "delivery.merge-request-opened" : "delivery.merge-request-updated")
                    .with("server", settings.kind().label())
                    .with("number", mr.number())
                    .with("url", mr.url())
                    .with("draft", mr.draft())
                    .with("branch", pushed.branch())
                    .with("commit", agent.head()));
            if (existing == null) {
                tracker.opened(
                        sessionId, session.workspace(), session.repo(), session.createdBy(), server, mr.number());
                opened.fire(new MergeRequestOpened(
                        session.workspace(),
                        sessionId,
                        session.repo(),
                        session.createdBy(),
                        mr.number(),
                        mr.url(),
                        mr.draft()));
            }
            return view(session, agent);
        } finally {
            lock.unlock();
            onBehalf.close();
        }
    }

    public SettingsView settings(Principal who, String workspace, String repo) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.VIEWER);
        requireRegistered(workspace, repo);
        return store.settings(workspace, repo)
                .map(this::settingsView)
                .orElseThrow(() -> ProblemException.notFound(
                        "Delivery settings of repository '" + repo + "' in workspace '" + workspace + "'"));
    }

    /** Sets where a repository's merge requests are opened (workspace admins). */
    public SettingsView saveSettings(Principal who, String workspace, String repo, @Nullable SettingsRequest r) {
        WorkspaceAccess.require(who, workspace, WorkspaceRole.ADMIN);
        requireRegistered(workspace, repo);
        if (r == null || r.server() == null || r.apiUrl() == null || r.project() == null) {
            throw ProblemException.badRequest(
                    "a body with server (gitlab, gitea, github or bitbucket), apiUrl and project is required");
        }
        GitServer.Kind kind = GitServer.Kind.parse(r.server())
                .orElseThrow(
                        () -> ProblemException.badRequest(
                                "server must be gitlab or gitea (Forgejo: gitea), github (GitHub Enterprise Server) or bitbucket (Bitbucket Data Center)"));
        String apiUrl = r.apiUrl().strip().replaceAll("/+$", "");
        String scheme = URI.create(apiUrl.isEmpty() ? "x" : apiUrl).getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw ProblemException.badRequest(
                    "apiUrl must be the http(s) address of the git server's API, e.g. https://gitlab.example/api/v4");
        }
        repositories.checkServerUrl(apiUrl);
        String project = r.project().strip();
        boolean valid = switch (kind) {
            case GITLAB -> project.matches("[0-9]+|[A-Za-z0-9_.][A-Za-z0-9_./-]{0,254}") && !project.contains("..");
            case GITEA, GITHUB, BITBUCKET ->
                project.matches("[A-Za-z0-9_.~-]{1,100}/[A-Za-z0-9_.-]{1,100}") && !project.contains("..");
        };
        if (!valid) {
            throw ProblemException.badRequest(
                    switch (kind) {
                        case GITLAB -> "project must be GitLab's numeric project id or its path (group/project)";
                        case BITBUCKET -> "project must be PROJECTKEY/repository-slug";
                        default -> "project must be owner/repo";
                    });
        }
        String hookSecret = blankToNull(r.hookSecret());
        if (hookSecret != null && !secrets.exists(workspace, hookSecret)) {
            throw ProblemException.badRequest("hookSecret names a workspace secret, and workspace '" + workspace
                    + "' has no secret '" + hookSecret + "': store it first with PUT /api/workspaces/" + workspace
                    + "/secrets/" + hookSecret);
        }
        String ticketLabel = blankToNull(r.ticketLabel());
        List<String> labels = r.labels() == null
                ? List.of()
                : r.labels().stream()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .toList();
        for (String l : ticketLabel == null
                ? labels
                : java.util.stream.Stream.concat(labels.stream(), java.util.stream.Stream.of(ticketLabel))
                        .toList()) {
            if (l.length() > 100 || l.contains(",") || l.contains("\n")) {
                throw ProblemException.badRequest("labels are names without commas, at most 100 characters each");
            }
        }
        List<String> globs = r.protectedBranches() == null
                ? List.of()
                : r.protectedBranches().stream()
                        .map(String::strip)
                        .filter(g -> !g.isEmpty())
                        .toList();
        for (String g : globs) {
            if (g.length() > 200 || g.contains(",") || g.contains("\n")) {
                throw ProblemException.badRequest(
                        "protectedBranches are branch globs without commas, at most 200 characters each");
            }
        }
        Settings settings = new Settings(
                workspace,
                repo,
                kind,
                apiUrl,
                project,
                globs,
                who.username(),
                clock.instant(),
                hookSecret,
                ticketLabel,
                labels,
                Boolean.TRUE.equals(r.mintTokens()));
        store.save(settings);
        audit.append(AuditEntry.of(who.username(), "delivery.settings-changed", workspace + "/" + repo)
                .inWorkspace(workspace)
                .with("server", kind.label())
                .with("apiUrl", apiUrl)
                .with("project", project)
                .with("protectedBranches", String.join(",", globs))
                .with("hookSecret", hookSecret)
                .with("ticketLabel", ticketLabel)
                .with("labels", String.join(",", labels))
                .with("mintTokens", settings.mintTokens()));
        return settingsView(settings);
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private SettingsView settingsView(Settings s) {
        return new SettingsView(
                s.workspace(),
                s.repo(),
                s.kind().label(),
                s.apiUrl(),
                s.project(),
                s.protectedBranches(),
                credentials.forRepository(s.workspace(), s.repo()).isPresent(),
                s.updatedBy(),
                s.updatedAt(),
                s.hookSecret(),
                s.ticketLabel(),
                s.mrLabels(),
                s.mintTokens());
    }

    private void requireRegistered(String workspace, String repo) {
        if (repositories.upstream(workspace, repo).isEmpty()) {
            throw ProblemException.notFound("Repository '" + repo + "' in workspace '" + workspace + "'");
        }
    }

    /** A session a member may deliver: finished (or waiting), with a repository. */
    private SessionView deliverable(Principal who, String sessionId) {
        SessionView session = sessions.get(who, sessionId);
        WorkspaceAccess.require(who, session.workspace(), WorkspaceRole.MEMBER);
        if (session.repo().isEmpty()) {
            throw ProblemException.conflict(
                    "session " + sessionId + " has no repository, so there is nothing to deliver");
        }
        if (session.status().equals("running") || session.status().equals("new")) {
            throw ProblemException.conflict("session " + sessionId + " is " + session.status()
                    + "; deliver its branch once the droid has finished");
        }
        return session;
    }

    /** Pushes the agent branch to {@code requested} (or the session's branch); the caller holds the session's lock. */
    private AgentCommits pushLocked(Principal who, SessionView session, @Nullable String requested) {
        String id = session.id();
        AgentCommits agent = agent(session)
                .orElseThrow(() -> ProblemException.conflict(
                        "session " + id + " published no branch (the droid made no change, or was not a code droid)"));
        Upstream upstream = repositories
                .upstream(session.workspace(), session.repo())
                .orElseThrow(() ->
                        ProblemException.conflict("repository '" + session.repo() + "' is not registered in workspace '"
                                + session.workspace() + "', so it has no git server to push to"));
        if (upstream.url() == null) {
            throw ProblemException.conflict("repository '" + session.repo()
                    + "' was registered from a server path, so it has no git server to push to");
        }
        String branch = requested == null || requested.isBlank() ? GitMirrorPublisher.branch(id) : requested.strip();
        List<String> protectedGlobs = store.settings(session.workspace(), session.repo())
                .map(Settings::protectedBranches)
                .orElse(List.of());
        try {
            new BranchPolicy(upstream.defaultBranch(), protectedGlobs).check(branch);
        } catch (ProblemException refused) {
            audit.append(entry(who, session, "delivery.push-refused")
                    .with("branch", branch)
                    .with("reason", refused.problem().detail()));
            throw refused;
        }
        String url = repositories.checkServerUrl(upstream.url());
        try {
            egress.check(URI.create(url), "git push " + session.workspace() + "/" + session.repo());
        } catch (EgressRefusedException e) {
            throw new ProblemException(Problem.of(
                    422,
                    "host-not-allowed",
                    "Host not allowed",
                    "Git host '" + e.getMessage() + "' is not on the egress allow-list."));
        }
        Path mirror = mirrors.mirror(session.workspace(), session.repo()).orElseThrow();
        Credential stored =
                credentials.forRepository(session.workspace(), session.repo()).orElse(null);
        Optional<Settings> settings = store.settings(session.workspace(), session.repo());
        GitServer.MintedToken minted = settings.filter(Settings::mintTokens)
                .flatMap(s -> mint(who, session, s, stored))
                .orElse(null);
        Credential pushWith = minted != null
                ? new Credential(minted.username(), minted.secret())
                : storedPushCredential(settings.orElse(null), stored);
        GitPush.Outcome outcome;
        try {
            outcome = GitPush.push(
                    mirror, GitMirrorPublisher.ref(id), url, branch, pushWith, minted != null && minted.bearer());
        } catch (GitAPIException | IOException | RuntimeException e) {
            LOG.warnf("session %s: push of %s to %s failed: %s", id, branch, url, e.getMessage());
            audit.append(entry(who, session, "delivery.push-failed")
                    .with("branch", branch)
                    .with("commit", agent.head())
                    .with("reason", String.valueOf(e.getMessage())));
            throw new ProblemException(Problem.of(
                    502,
                    "push-failed",
                    "Push failed",
                    "The git server did not accept the push of " + branch + ": " + e.getMessage()));
        } finally {
            if (minted != null) {
                revoke(who, session, settings.orElseThrow(), Objects.requireNonNull(stored), minted);
            }
        }
        if (outcome.status() == GitPush.Status.REJECTED) {
            audit.append(entry(who, session, "delivery.push-rejected")
                    .with("branch", branch)
                    .with("commit", agent.head())
                    .with("reason", outcome.detail()));
            throw new ProblemException(Problem.of(
                    409,
                    "push-rejected",
                    "Push rejected",
                    "The git server rejected the push of " + branch + " (" + outcome.detail()
                            + "); the branch may have moved there."));
        }
        store.pushed(id, session.workspace(), session.repo(), branch, agent.head(), who.username(), clock.instant());
        audit.append(entry(who, session, "delivery.pushed")
                .with("branch", branch)
                .with("commit", agent.head())
                .with("upstream", url)
                .with("credential", minted != null ? "minted" : pushWith != null ? "stored" : "none")
                .with("status", outcome.status().name().toLowerCase(java.util.Locale.ROOT)));
        return agent;
    }

    /**
     * A token minted for this push with the repository's integration credential, or empty (then the
     * stored credential pushes) when the server cannot mint one or refused to: the refusal is audited.
     */
    private Optional<GitServer.MintedToken> mint(
            Principal who, SessionView session, Settings settings, @Nullable Credential integration) {
        if (integration == null) {
            return Optional.empty();
        }
        java.time.LocalDate expires =
                clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate().plusDays(1);
        try {
            Optional<GitServer.MintedToken> minted = server(settings, integration)
                    .mintPushToken("drydock-push-" + session.id().substring(0, 8), expires);
            minted.ifPresentOrElse(
                    t -> audit.append(entry(who, session, "delivery.token-minted")
                            .with("server", settings.kind().label())
                            .with("tokenId", t.id())
                            .with("expires", t.expires())),
                    () -> audit.append(
                            entry(who, session, "delivery.token-mint-failed")
                                    .with("server", settings.kind().label())
                                    .with(
                                            "reason",
                                            "this git server cannot mint push tokens with this credential; the stored credential pushes")));
            return minted;
        } catch (GitServer.GitServerException e) {
            LOG.warnf(
                    "session %s: minting a push token failed, the stored credential pushes: %s",
                    session.id(), e.getMessage());
            audit.append(entry(who, session, "delivery.token-mint-failed")
                    .with("server", settings.kind().label())
                    .with("reason", e.getMessage()));
            return Optional.empty();
        }
    }

    private void revoke(
            Principal who, SessionView session, Settings settings, Credential integration, GitServer.MintedToken t) {
        try {
            server(settings, integration).revoke(t);
            audit.append(entry(who, session, "delivery.token-revoked").with("tokenId", t.id()));
        } catch (GitServer.GitServerException e) {
            LOG.warnf("session %s: revoking push token %s failed: %s", session.id(), t.id(), e.getMessage());
            audit.append(entry(who, session, "delivery.token-revoke-failed")
                    .with("tokenId", t.id())
                    .with("expires", t.expires())
                    .with("reason", e.getMessage()));
        }
    }

    /**
     * The stored credential as the push sends it: a Gitea {@code username:password} credential (kept
     * so that tokens can be minted) pushes as that user; anything else as {@code drydock} with the secret.
     */
    private static @Nullable Credential storedPushCredential(@Nullable Settings settings, @Nullable Credential stored) {
        if (stored != null && settings != null && settings.kind() == GitServer.Kind.GITEA) {
            int colon = stored.secret().indexOf(':');
            if (colon > 0) {
                return new Credential(
                        stored.secret().substring(0, colon), stored.secret().substring(colon + 1));
            }
        }
        return stored;
    }

    private Optional<AgentCommits> agent(SessionView session) {
        if (session.repo().isEmpty()) {
            return Optional.empty();
        }
        return mirrors.mirror(session.workspace(), session.repo()).flatMap(mirror -> {
            try {
                return AgentCommits.read(mirror, GitMirrorPublisher.ref(session.id()), session.id());
            } catch (IOException e) {
                LOG.warnf("session %s: cannot read its agent ref in %s: %s", session.id(), mirror, e.getMessage());
                return Optional.empty();
            }
        });
    }

    private DeliveryView view(SessionView session, @Nullable AgentCommits agent) {
        AgentBranch branch = agent == null
                ? null
                : new AgentBranch(
                        GitMirrorPublisher.branch(session.id()),
                        GitMirrorPublisher.ref(session.id()),
                        agent.head(),
                        agent.base(),
                        agent.commits(),
                        agent.subject(),
                        agent.files(),
                        agent.trailers());
        Optional<Delivered> d = store.delivered(session.id());
        Push push = d.filter(x -> x.pushedCommit() != null)
                .map(x -> new Push(
                        x.branch(),
                        Objects.requireNonNull(x.pushedCommit()),
                        Objects.requireNonNull(x.pushedAt()),
                        Objects.requireNonNullElse(x.pushedBy(), ""),
                        agent != null && agent.head().equals(x.pushedCommit())))
                .orElse(null);
        MergeRequest mr = d.filter(x -> x.mrNumber() != null)
                .map(x -> new MergeRequest(
                        Objects.requireNonNull(x.mrNumber()),
                        Objects.requireNonNullElse(x.mrUrl(), ""),
                        Boolean.TRUE.equals(x.mrDraft()),
                        Objects.requireNonNullElse(x.mrCommit(), ""),
                        Objects.requireNonNull(x.mrUpdatedAt())))
                .orElse(null);
        String server = session.repo().isEmpty()
                ? null
                : store.settings(session.workspace(), session.repo())
                        .map(s -> s.kind().label())
                        .orElse(null);
        return new DeliveryView(session.id(), session.workspace(), session.repo(), branch, push, mr, server);
    }

    GitServer server(Settings s, Credential credential) {
        return switch (s.kind()) {
            case GITLAB -> new GitLabServer(egress, s.apiUrl(), s.project(), credential.secret());
            case GITEA -> new GiteaServer(egress, s.apiUrl(), s.project(), credential.secret());
            case GITHUB -> new GitHubServer(egress, s.apiUrl(), s.project(), credential.secret());
            case BITBUCKET -> new BitbucketServer(egress, s.apiUrl(), s.project(), credential.secret());
        };
    }

    /** A repository's delivery settings, for the server's own use (webhooks in); no access check. */
    public Optional<Settings> repositorySettings(String workspace, String repo) {
        return store.settings(workspace, repo);
    }

    /** The session whose merge request {@code number} is, in a workspace's repository; no access check. */
    public Optional<String> sessionOfMergeRequest(String workspace, String repo, long number) {
        return store.sessionOfMergeRequest(workspace, repo, number);
    }

    /**
     * Comments on an issue or merge request of a repository's git server with the repository's
     * integration credential (how work that arrived from the git server is answered); no access check.
     */
    public void comment(String workspace, String repo, long number, boolean onMergeRequest, String body)
            throws GitServer.GitServerException {
        Settings settings = store.settings(workspace, repo)
                .orElseThrow(() -> new GitServer.GitServerException(0, "no git server configured"));
        Credential credential = credentials
                .forRepository(workspace, repo)
                .orElseThrow(() -> new GitServer.GitServerException(0, "no credential for the git server"));
        server(settings, credential).comment(number, onMergeRequest, body);
    }

    private static AuditEntry entry(Principal who, SessionView session, String action) {
        return AuditEntry.of(who.username(), action, session.workspace() + "/" + session.repo())
                .inWorkspace(session.workspace())
                .inSession(session.id());
    }
}
