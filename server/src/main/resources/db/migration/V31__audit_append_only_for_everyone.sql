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
