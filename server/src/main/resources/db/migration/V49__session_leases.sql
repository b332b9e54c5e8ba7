-- Session leases (issue 21): the replica driving a running session holds a lease on its row. The
-- fencing token rises on every takeover and release; a driver's appends carry the token it got and
-- are refused when the row's token moved on, under the same row lock that serialises appends, so a
-- paused replica cannot write after losing the lease. lease_expires_at is the deadline for renewal.
alter table droid_session
    add column lease_owner      text,
    add column lease_token      bigint not null default 0,
    add column lease_expires_at timestamptz;
create index droid_session_lease_idx on droid_session (lease_expires_at) where status = 'running';
