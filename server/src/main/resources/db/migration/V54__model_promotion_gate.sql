-- Model promotion gate (issue 23): a candidate endpoint runs a suite of task fixtures as real
-- code-droid sessions before routes may send traffic to it.

-- Gate sessions call one endpoint, whatever the routes say, and are marked as the system's own
-- (kept out of people's session lists).
alter table droid_session add column pinned_endpoint text;
alter table droid_session add column system_run text;

-- One gate run of one endpoint, against the URL and model id it had when the run started.
create table gate_run (
    id                 uuid primary key,
    endpoint           text not null,
    base_url           text not null,
    model_id           text not null,
    state              text not null,          -- running, passed, failed
    reason             text not null default '',
    threshold          numeric(4, 3) not null,
    pass_rate          numeric(4, 3),
    prompt_tokens      bigint not null default 0,
    completion_tokens  bigint not null default 0,
    wall_ms            bigint not null default 0,
    baseline_run       uuid references gate_run (id),
    baseline_endpoint  text,
    started_by         text not null,
    created_at         timestamptz not null,
    finished_at        timestamptz
);
create index gate_run_endpoint_idx on gate_run (endpoint, created_at desc);
create index gate_run_state_idx on gate_run (state);

-- Each fixture of a run and the session that worked on it.
create table gate_fixture (
    run_id             uuid not null references gate_run (id) on delete cascade,
    fixture            text not null,
    position           int not null,
    state              text not null default 'pending', -- pending, running, passed, failed
    session_id         uuid,
    detail             text not null default '',
    prompt_tokens      bigint not null default 0,
    completion_tokens  bigint not null default 0,
    wall_ms            bigint not null default 0,
    started_at         timestamptz,
    finished_at        timestamptz,
    primary key (run_id, fixture)
);

-- Endpoints allowed to take traffic without a passing gate run: the first model of a fresh install,
-- routes that existed before the gate, and admin overrides; each also sealed into the audit trail.
create table gate_override (
    id          bigserial primary key,
    endpoint    text not null,
    base_url    text not null,
    model_id    text not null,
    route       text not null,
    reason      text not null,
    granted_by  text not null,
    granted_at  timestamptz not null
);
create index gate_override_endpoint_idx on gate_override (endpoint, granted_at desc);

-- Routes stored before this migration send traffic to endpoints that never ran the gate: the gate
-- grandfathers them once, at the first start-up, and records that it did.
create table gate_bootstrap (
    id          int primary key check (id = 1),
    done_at     timestamptz not null
);
