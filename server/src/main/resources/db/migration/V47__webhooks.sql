-- Webhooks out (#19): a workspace's receivers and the durable queue of their deliveries.
create table webhook (
    id          uuid primary key,
    workspace   text not null references workspace(slug) on delete cascade,
    url         text not null,
    events      text not null,          -- comma-separated event names
    secret_name text not null,          -- the workspace secret that signs deliveries (never stored here)
    created_by  text not null,
    created_at  timestamptz not null default now()
);
create index webhook_workspace on webhook(workspace);

create table webhook_delivery (
    id              uuid primary key,
    webhook_id      uuid not null references webhook(id) on delete cascade,
    event           text not null,
    session_id      uuid,
    payload         text not null,
    state           text not null check (state in ('pending', 'sending', 'delivered', 'failed')),
    attempts        int not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until     timestamptz,
    last_status     int,
    last_error      text,
    created_at      timestamptz not null default now(),
    delivered_at    timestamptz
);
create index webhook_delivery_due on webhook_delivery(next_attempt_at) where state in ('pending', 'sending');
create index webhook_delivery_of_hook on webhook_delivery(webhook_id, created_at desc);
