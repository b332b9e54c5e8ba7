-- Migrations (issue 23): a goal over repositories of one workspace, planned into a DAG of tasks that
-- a scheduler runs as code-droid sessions. All scheduling state is here, so a restart loses nothing.
create table migration (
    id                uuid primary key,
    workspace         text not null,
    goal              text not null,
    repositories      text not null,           -- comma-separated repository names, in the order given
    state             text not null,           -- planning, planned, plan_failed, running, needs_attention, completed
    max_parallel      int not null,
    planning_session  uuid references droid_session (id),
    plan_error        text,
    created_by        text not null,
    created_at        timestamptz not null,
    approved_by       text,
    approved_at       timestamptz,
    updated_at        timestamptz not null
);
create index migration_workspace_idx on migration (workspace, created_at desc);
create index migration_state_idx on migration (state);

-- The plan's tasks (the DAG's nodes); position keeps the plan's order.
create table migration_task (
    migration_id  uuid not null references migration (id) on delete cascade,
    id            text not null,
    position      int not null,
    repository    text not null,
    scope         text not null,
    instructions  text not null default '',
    acceptance    text not null,
    state         text not null default 'pending', -- pending, starting, running, succeeded, failed, skipped
    unblocks      boolean not null default false,  -- skipped with "unblock dependents"
    session_id    uuid references droid_session (id),
    attempts      int not null default 0,
    error         text,
    started_at    timestamptz,
    finished_at   timestamptz,
    primary key (migration_id, id)
);
create index migration_task_session_idx on migration_task (session_id);

-- The DAG's edges: task id depends on depends_on, both tasks of the same migration.
create table migration_task_dependency (
    migration_id  uuid not null,
    task_id       text not null,
    depends_on    text not null,
    primary key (migration_id, task_id, depends_on),
    foreign key (migration_id, task_id) references migration_task (migration_id, id) on delete cascade,
    foreign key (migration_id, depends_on) references migration_task (migration_id, id) on delete cascade,
    check (task_id <> depends_on)
);
