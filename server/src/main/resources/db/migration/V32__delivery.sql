-- Delivery (issue 19): where a repository's agent branches are pushed and reviewed, and what was
-- delivered for each session. Credentials are never stored here: the push and the git server's API
-- use the repository's named credential (see DeliveryCredentials).
create table repository_delivery (
    workspace           text not null,
    repo                text not null,
    -- gitlab | gitea
    server_kind         text not null,
    -- e.g. https://gitlab.example/api/v4 or https://gitea.example/api/v1
    api_url             text not null,
    -- GitLab: numeric id or group/project path; Gitea: owner/repo
    project             text not null,
    -- comma-separated branch globs a push may never target (besides the default branch)
    protected_branches  text not null default '',
    updated_by          text not null,
    updated_at          timestamptz not null,
    primary key (workspace, repo),
    foreign key (workspace, repo) references repository (workspace, name) on delete cascade
);

create table session_delivery (
    session_id      uuid primary key references droid_session (id),
    workspace       text not null,
    repo            text not null,
    branch          text not null,
    pushed_commit   text,
    pushed_at       timestamptz,
    pushed_by       text,
    mr_number       bigint,
    mr_url          text,
    mr_draft        boolean,
    mr_commit       text,
    mr_updated_at   timestamptz
);
create index session_delivery_workspace_idx on session_delivery (workspace, repo);
