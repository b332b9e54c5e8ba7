-- Issue #18: package mirrors a drydock-admin declares once, the ones each workspace chose (with the
-- workspace secret its setup steps authenticate with), and setup commands registered per repository.
create table package_mirror (
    name       text primary key check (name ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    kind       text not null check (kind in ('maven', 'gradle', 'npm', 'pypi', 'go', 'debian')),
    url        text not null check (length(url) between 8 and 2048),
    created_by text not null,
    created_at timestamptz not null default now()
);

create table workspace_package_mirror (
    workspace          text not null references workspace (slug) on delete cascade,
    mirror             text not null references package_mirror (name) on delete cascade,
    credentials_secret text,
    chosen_by          text not null,
    chosen_at          timestamptz not null default now(),
    primary key (workspace, mirror)
);

create table repository_setup (
    workspace  text not null references workspace (slug) on delete cascade,
    repo       text not null,
    command    text not null check (length(command) between 1 and 4096),
    updated_by text not null,
    updated_at timestamptz not null default now(),
    primary key (workspace, repo)
);
