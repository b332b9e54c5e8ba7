-- Issue 15 (holes 5, 6, 9): credentials and the sources that use them are tied to a workspace.

-- Named secrets of a workspace (git credentials): AES-GCM ciphertext under a key-encryption key that
-- lives in a file outside the database (drydock.secrets.key-file); values are never returned.
create table workspace_secret (
    workspace   text not null references workspace(slug) on delete cascade,
    name        text not null check (name ~ '^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$'),
    ciphertext  bytea not null,
    key_id      text not null,
    created_by  text not null,
    created_at  timestamptz not null default now(),
    updated_by  text not null,
    updated_at  timestamptz not null default now(),
    primary key (workspace, name)
);

-- A local root may be limited to named workspaces (comma-separated slugs); null: every workspace.
alter table repository_source add column workspaces text;

-- Hosts of model endpoints a drydock-admin let through the egress allow-list (an audited action of
-- its own; saving an endpoint no longer allows its host as a side effect).
create table egress_host (
    host      text primary key check (length(host) between 1 and 253),
    reason    text not null,
    added_by  text not null,
    added_at  timestamptz not null default now()
);
