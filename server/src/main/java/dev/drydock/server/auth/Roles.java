package dev.drydock.server.auth;

/** Realm role names, as in the shipped {@code drydock} realm; use these in {@code @RolesAllowed}. */
public final class Roles {
    /** Administers the whole installation. */
    public static final String DRYDOCK_ADMIN = "drydock-admin";
    /** Administers the workspaces whose {@code admins} group the user is in. */
    public static final String WORKSPACE_ADMIN = "workspace-admin";
    /** Runs droids in the workspaces whose {@code members} group the user is in. */
    public static final String MEMBER = "member";
    /** Reads sessions and artifacts in the workspaces whose {@code viewers} group the user is in. */
    public static final String VIEWER = "viewer";

    private Roles() {}
}
