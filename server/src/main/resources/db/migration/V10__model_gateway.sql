-- Model gateway (issue 4). Endpoints and routes stored by admins (configuration-file ones are not stored);
-- credentials are never stored, only where to find them (secret_ref).
create table model_endpoint (
    name               text primary key,
    base_url           text not null,
    protocol           text not null check (protocol in ('openai-chat', 'ollama')),
    model_id           text not null,
    auth_header        text not null default 'Authorization',
    secret_ref         text,
    context_window     integer not null check (context_window > 0),
    capabilities       text not null,
    max_concurrency    integer not null check (max_concurrency > 0),
    connect_timeout_ms bigint not null check (connect_timeout_ms > 0),
    request_timeout_ms bigint not null check (request_timeout_ms > 0),
    idle_timeout_ms    bigint not null check (idle_timeout_ms > 0),
    cost_prompt        numeric(14, 6) not null check (cost_prompt >= 0),
    cost_completion    numeric(14, 6) not null check (cost_completion >= 0),
    clearance          text not null,
    updated_at         timestamptz not null default now()
);

create table model_route (
    name      text primary key,
    workspace text not null,
    droid     text not null,
    purpose   text not null,
    endpoints text not null,
    unique (workspace, droid, purpose)
);

-- One row per gateway request, whatever its outcome (accounting and budgets read it).
create table gateway_request (
    id                text primary key,
    created_at        timestamptz not null,
    user_subject      text not null,
    username          text not null,
    workspace         text not null,
    session_id        text,
    droid             text not null,
    purpose           text not null,
    channel           text not null,
    classification    text not null,
    endpoint          text,
    model             text,
    outcome           text not null,
    detail            text,
    prompt_tokens     bigint not null,
    completion_tokens bigint not null,
    usage_reported    boolean not null,
    latency_ms        bigint not null,
    ttft_ms           bigint,
    cost              numeric(14, 6) not null,
    prompt_sha256     text,
    completion_sha256 text,
    attempts          text not null,
    dlp_findings      text not null
);
create index gateway_request_user_at on gateway_request (username, created_at);
create index gateway_request_workspace_at on gateway_request (workspace, created_at);
create index gateway_request_session_at on gateway_request (session_id, created_at);

create table gateway_budget (
    id         bigserial primary key,
    scope      text not null check (scope in ('user', 'workspace', 'session')),
    subject    text not null,
    period     text not null check (period in ('day', 'month')),
    max_tokens bigint check (max_tokens > 0),
    max_cost   numeric(14, 6) check (max_cost > 0),
    created_at timestamptz not null default now(),
    check (max_tokens is not null or max_cost is not null)
);

-- Per-user API keys for the /v1 front door: only a SHA-256 of the key is stored.
create table gateway_api_key (
    id           bigserial primary key,
    user_subject text not null,
    username     text not null,
    name         text not null,
    key_prefix   text not null,
    key_hash     text not null unique,
    roles        text not null,
    workspaces   text not null,
    created_at   timestamptz not null default now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);

create table egress_refusal (
    id         bigserial primary key,
    host       text not null,
    url        text not null,
    purpose    text not null,
    created_at timestamptz not null
);
