-- Issue 17: repository sources a drydock-admin manages at runtime (portal or API), merged with the
-- configured drydock.repos.local-roots / drydock.repos.allowed-hosts. Changes are audited.
create table repository_source (
    kind      text not null check (kind in ('local-root', 'git-host')),
    value     text not null check (length(value) between 1 and 4096),
    added_by  text not null,
    added_at  timestamptz not null default now(),
    primary key (kind, value)
);
