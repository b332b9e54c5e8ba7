package dev.drydock.server.secret;

import dev.drydock.server.audit.AuditEntry;
import dev.drydock.server.audit.AuditTrail;
import dev.drydock.server.auth.CurrentUser.Principal;
import dev.drydock.server.auth.WorkspaceAccess;
import dev.drydock.server.auth.WorkspaceRole;
import dev.drydock.server.persistence.Columns;
import dev.drydock.server.problem.Problem;
import dev.drydock.server.problem.ProblemException;
import dev.drydock.server.workspace.WorkspaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Named secrets of one workspace (git credentials and the like): stored by its workspace admins,
 * encrypted at rest with AES-GCM under a key that is not in the database ({@link SecretConfig}),
 * listed by name only, never returned through the API or logged. Every change is audited.
 */
@ApplicationScoped
public class WorkspaceSecrets {
    /** What a secret name looks like: also the pattern a repository's {@code credentialsSecret} must match. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");

    private static final int MAX_VALUE_CHARS = 65_536;

    @Inject
    SecretConfig config;

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    WorkspaceService workspaces;

    private SecretCipher cipher;

    /** A stored secret as the API shows it: who stored it and when, never its value. */
    public record SecretView(String name, String createdBy, String createdAt, String updatedBy, String updatedAt) {}

    @PostConstruct
    void loadKey() {
        try {
            cipher = SecretCipher.fromKeyFile(Path.of(config.keyFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read or create the workspace secret key " + config.keyFile()
                            + " (drydock.secrets.key-file)",
                    e);
        }
    }

    /** Stores (or replaces) a secret of {@code workspace}; workspace admins only. The value is never echoed. */
    public SecretView put(Principal caller, String workspace, String name, @Nullable String value) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        checkName(name);
        if (value == null || value.isEmpty()) {
            throw field("value", "value is required: send {\"value\": \"...\"} with the secret itself");
        }
        if (value.length() > MAX_VALUE_CHARS) {
            throw field("value", "value is too long (at most " + MAX_VALUE_CHARS + " characters)");
        }
        workspaces.find(workspace);
        byte[] sealed = cipher.encrypt(context(workspace, name), value);
        boolean replaced = QuarkusTransaction.joiningExisting().call(() -> (Boolean) em.createNativeQuery("""
                        insert into workspace_secret (workspace, name, ciphertext, key_id, created_by, updated_by)
                        values (?1, ?2, ?3, ?4, ?5, ?5)
                        on conflict (workspace, name) do update set ciphertext = excluded.ciphertext, key_id = excluded.key_id,
                            updated_by = excluded.updated_by, updated_at = now()
                        returning (xmax <> 0)""")
                .setParameter(1, workspace)
                .setParameter(2, name)
                .setParameter(3, sealed)
                .setParameter(4, cipher.keyId())
                .setParameter(5, caller.username())
                .getSingleResult());
        audit.append(AuditEntry.of(
                        caller.subject(),
                        replaced ? "workspace-secret.replaced" : "workspace-secret.stored",
                        workspace + "/" + name)
                .inWorkspace(workspace)
                .with("by", caller.username()));
        return view(workspace, name).orElseThrow();
    }

    /** The names of the workspace's secrets (with who stored them); workspace admins only. */
    public List<SecretView> list(Principal caller, String workspace) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select name, created_by, created_at, updated_by, updated_at from workspace_secret where workspace = ?1 order by name")
                    .setParameter(1, workspace)
                    .getResultList();
            return rows.stream().map(WorkspaceSecrets::view).toList();
        });
    }

    /** Removes a secret; workspace admins only. Repositories naming it fail their next fetch with a clear status. */
    public void delete(Principal caller, String workspace, String name) {
        WorkspaceAccess.require(caller, workspace, WorkspaceRole.ADMIN);
        checkName(name);
        int removed = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery("delete from workspace_secret where workspace = ?1 and name = ?2")
                        .setParameter(1, workspace)
                        .setParameter(2, name)
                        .executeUpdate());
        if (removed == 0) {
            throw ProblemException.notFound("Secret '" + name + "' in workspace '" + workspace + "'");
        }
        audit.append(AuditEntry.of(caller.subject(), "workspace-secret.deleted", workspace + "/" + name)
                .inWorkspace(workspace)
                .with("by", caller.username()));
    }

    /** Whether {@code workspace} has a secret called {@code name} (no access check: callers check theirs). */
    public boolean exists(String workspace, String name) {
        return NAME.matcher(name).matches() && view(workspace, name).isPresent();
    }

    /**
     * The value of a workspace's secret, for server-internal use only (a git fetch, a delivery):
     * never put it in a response, an event, an audit record or a log line. Empty when the workspace
     * has no such secret. There is no access check here: the caller already decided that the
     * workspace's own resource may use the workspace's own secret, and must never pass a workspace
     * other than the one the resource belongs to.
     */
    public Optional<String> reveal(String workspace, String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<byte[]> sealed = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery(
                                "select ciphertext from workspace_secret where workspace = ?1 and name = ?2")
                        .setParameter(1, workspace)
                        .setParameter(2, name)
                        .getResultList());
        return sealed.stream().findFirst().map(bytes -> cipher.decrypt(context(workspace, name), bytes));
    }

    private Optional<SecretView> view(String workspace, String name) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                            "select name, created_by, created_at, updated_by, updated_at from workspace_secret where workspace = ?1 and name = ?2")
                    .setParameter(1, workspace)
                    .setParameter(2, name)
                    .getResultList();
            return rows.stream().findFirst().map(WorkspaceSecrets::view);
        });
    }

    private static SecretView view(Object[] r) {
        return new SecretView(
                (String) r[0],
                (String) r[1],
                Columns.instant(r[2]).toString(),
                (String) r[3],
                Columns.instant(r[4]).toString());
    }

    /** The associated data of a ciphertext: a value only decrypts under the workspace and name it was stored for. */
    private static String context(String workspace, String name) {
        return "drydock workspace secret\0" + workspace + "\0" + name;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw field(
                    "name",
                    "a secret name is 1-100 letters, digits, '_', '.' or '-', starting with a letter, digit or '_'");
        }
    }

    private static ProblemException field(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid-workspace-secret", "Invalid workspace secret", message)
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }
}
