-- Droid sessions. The event log (session_event) is the source of truth; droid_session holds the
-- session's identity, its seq counter (row lock serialises appends) and a projection for listing.
create table droid_session (
    id                 uuid primary key,
    workspace          text not null,
    droid              text not null,
    repo               text not null default '',
    title              text not null,
    created_by         text not null,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    last_seq           bigint not null default 0,
    status             text not null default 'new',
    outcome            text,
    prompt_tokens      bigint not null default 0,
    completion_tokens  bigint not null default 0,
    cost_micros        bigint not null default 0
);
create index droid_session_workspace_idx on droid_session (workspace, created_at desc);
create index droid_session_status_idx on droid_session (status);

-- Append-only: one row per event, unique per (session, seq); updates and deletes are refused.
create table session_event (
    session_id  uuid not null references droid_session (id),
    seq         bigint not null,
    at          timestamptz not null,
    source      text not null,
    caused_by   bigint,
    type        text not null,
    payload     jsonb not null,
    primary key (session_id, seq)
);

create function session_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'session_event is append-only';
end;
$$;
create trigger session_event_no_update before update or delete on session_event
    for each row execute function session_event_append_only();

-- Facts droids keep for later sessions (the remember tool), scoped to a repository or a workspace.
create table droid_memory (
    id          bigserial primary key,
    workspace   text not null,
    repo        text not null default '',
    text        text not null,
    session_id  uuid,
    created_at  timestamptz not null
);
create index droid_memory_scope_idx on droid_memory (workspace, repo);
