-- Refusals of requests the server made on behalf of a session name it (issue #23: egress proof per session).
alter table egress_refusal add column session_id text;
create index egress_refusal_session on egress_refusal (session_id) where session_id is not null;
