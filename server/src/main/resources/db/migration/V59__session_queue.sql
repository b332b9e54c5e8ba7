-- Backpressure (issue 21): sessions waiting for a sandbox when every replica is at its cap or the
-- sandbox backend has no room. Shared by the replicas and kept across restarts; the listing status of
-- a waiting session is 'queued'. Order: priority (higher first), then fairly across workspaces (the
-- n-th waiting session of every workspace before the (n+1)-th of any), then first come, first served.
-- not_before delays a retry after the backend said it was full.
create table session_queue (
    session_id  uuid primary key references droid_session (id) on delete cascade,
    workspace   text not null,
    priority    smallint not null default 0,
    enqueued_at timestamptz not null,
    not_before  timestamptz not null,
    reason      text not null
);
create index session_queue_order_idx on session_queue (priority desc, enqueued_at);
-- The priority a session was started with (-1 low, 0 normal, 1 high), kept for when it queues again.
alter table droid_session add column priority smallint not null default 0;
