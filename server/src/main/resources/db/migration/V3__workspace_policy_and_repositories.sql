-- Workspace policy: which droids and model routes may run, how autonomous droids are, and the
-- default data classification of the workspace's code.
alter table workspace
    add column allowed_droids  text not null default 'code,knowledge,reliability',
    add column allowed_routes  text not null default '*',
    add column autonomy        text not null default 'approve-writes'
        check (autonomy in ('read-only', 'approve-writes', 'auto-edit', 'full-auto')),
    add column classification  text not null default 'internal'
        check (classification in ('public', 'internal', 'confidential', 'secret')),
    add column updated_at      timestamptz not null default now();

-- Repositories a workspace owns. The server keeps its own mirror; droid sandboxes are filled from it.
create table repository (
    id                 bigserial primary key,
    workspace          text not null references workspace(slug) on delete cascade,
    name               text not null check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    source_url         text,
    source_path        text,
    credentials_secret text,
    branch             text not null default 'main',
    classification     text not null default 'internal'
        check (classification in ('public', 'internal', 'confidential', 'secret')),
    mirror_commit      text,
    indexed_commit     text,
    status             text not null default 'registered'
        check (status in ('registered', 'fetching', 'indexing', 'ready', 'failed')),
    status_detail      text,
    progress           double precision not null default 0,
    files              integer not null default 0,
    chunks             integer not null default 0,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (workspace, name),
    check ((source_url is null) <> (source_path is null))
);
