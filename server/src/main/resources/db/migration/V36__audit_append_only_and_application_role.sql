-- The append-only trigger of V2 could be switched off by any role with
-- `set local drydock.audit_maintenance = 'on'`, the application's own role included. It now refuses
-- every update and delete, whoever asks, and TRUNCATE too (statement triggers run for TRUNCATE, row
-- rules do not). Only the table's owner (the migration role, not the application) can disable it;
-- signed checkpoints outside the database catch what the owner or a superuser does anyway.
drop trigger audit_record_no_update on audit_record;
create trigger audit_record_no_update before update or delete on audit_record
    for each statement execute function audit_record_append_only();
create trigger audit_record_no_truncate before truncate on audit_record
    for each statement execute function audit_record_append_only();

-- The server connects as an application role that owns nothing; migrations run as the owner role
-- (quarkus.flyway.username). The application role may read and write the feature tables, but only
-- read and append the audit log: no update, delete or truncate, and as it is not the table's owner
-- it cannot disable the append-only triggers either. Where one role does both (an external database
-- set up with a single user), ${app_role} is that user and this migration changes nothing for it.
do $$
declare
    app text := '${app_role}';
begin
    if app = current_user or not exists (select 1 from pg_roles where rolname = app) then
        return;
    end if;
    execute format('grant usage on schema public to %I', app);
    execute format('grant select, insert, update, delete on all tables in schema public to %I', app);
    execute format('grant usage, select on all sequences in schema public to %I', app);
    execute format('alter default privileges in schema public grant select, insert, update, delete on tables to %I', app);
    execute format('alter default privileges in schema public grant usage, select on sequences to %I', app);
    execute format('revoke all on audit_record from %I', app);
    execute format('grant select, insert on audit_record to %I', app);
    execute format('revoke all on flyway_schema_history from %I', app);
end
$$;
