package dev.drydock.server.auth;

import java.util.Locale;
import java.util.Optional;

/** A person's role inside one workspace, ordered from least to most privileged. */
public enum WorkspaceRole {
    VIEWER("viewers"),
    MEMBER("members"),
    ADMIN("admins");

    private final String groupName;

    WorkspaceRole(String groupName) {
        this.groupName = groupName;
    }

    /** The Keycloak subgroup name under {@code /workspaces/<slug>/}. */
    public String groupName() {
        return groupName;
    }

    public boolean atLeast(WorkspaceRole other) {
        return compareTo(other) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<WorkspaceRole> ofGroupName(String name) {
        for (WorkspaceRole role : values()) {
            if (role.groupName.equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
