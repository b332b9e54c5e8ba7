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
