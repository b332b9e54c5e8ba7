package dev.drydock.server.repository;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where repository mirrors and indexes live and which sources may be registered. */
@ConfigMapping(prefix = "drydock.repos")
public interface RepositoryConfig {

    /**
     * Folder holding the server's git mirrors ({@code mirrors/}) and search indexes ({@code indexes/});
     * under the appliance's data folder unless set.
     */
    @WithDefault("${drydock.appliance.home}/repos")
    String dataDir();

    /**
     * Git hosts that repositories may be registered from (host names, exact match). Empty: no remote
     * URL may be registered. Nothing else is ever contacted. Drydock-admins add more at runtime
     * (portal Sources page, {@code /api/admin/repository-sources}).
     */
    Optional<List<String>> allowedHosts();

    /**
     * Server-local folders under which repositories may be registered by path. Empty: registration by
     * path is refused (unless a drydock-admin adds roots at runtime, as for allowed hosts). Paths are
     * resolved without following symbolic links out of these roots, and a repository whose git
     * objects, refs, alternates, gitdir or commondir lead out of its folder is refused. An entry may
     * be limited to named workspaces: {@code /srv/git/team-a=demo+other} serves only {@code demo}
     * and {@code other}; a plain folder serves every workspace.
     */
    Optional<List<String>> localRoots();

    /** How often every remote repository is fetched (and re-indexed when its branch moved). */
    @WithDefault("15m")
    Duration fetchInterval();

    /**
     * Shortest time between two manual sync requests (API, webhook, portal button) of one
     * repository; one sooner is refused with 429 and {@code Retry-After}. Scheduled fetches are not
     * counted and never refused.
     */
    @WithDefault("30s")
    Duration manualSyncInterval();

    /**
     * Most manual sync requests a workspace may make per minute, over all its repositories; more are
     * refused with 429 and {@code Retry-After}. Each sync fetches from the git server and re-indexes,
     * so this keeps one workspace (or a webhook in a loop) from keeping the server and the git server busy.
     */
    @WithDefault("12")
    int manualSyncsPerWorkspacePerMinute();

    /** Worker threads an indexing run may use. */
    @WithDefault("2")
    int indexThreads();
}
