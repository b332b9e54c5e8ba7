-- Append-only, hash-chained audit log. Each record carries the hash of the one before it, so that a
-- changed, removed or inserted row breaks the chain at that row. Appends are serialised by an
-- advisory lock so that concurrent writers keep a single chain.
create table audit_record (
    seq          bigint primary key,
    recorded_at  text   not null,          -- ISO-8601 instant, exactly as hashed
    actor        text   not null,          -- user subject, 'system', or a service account
    workspace    text,
    session_id   text,
    action       text   not null,          -- e.g. auth.login, policy.changed, model.request, tool.executed, file.read
    target       text   not null,
    details      text   not null,          -- canonical JSON, exactly as hashed
    prev_hash    text   not null,
    hash         text   not null unique
);
create index audit_record_session on audit_record(session_id) where session_id is not null;
create index audit_record_workspace on audit_record(workspace, seq);

-- The log is append-only for the application role: updates and deletes are refused by a trigger.
-- (A database superuser can still tamper; `drydock audit verify` detects it.)
create function audit_record_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_record is append-only';
end;
$$;
create trigger audit_record_no_update before update or delete on audit_record
    for each statement when (current_setting('drydock.audit_maintenance', true) is distinct from 'on')
    execute function audit_record_append_only();
