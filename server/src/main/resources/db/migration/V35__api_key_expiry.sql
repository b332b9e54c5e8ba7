-- API keys become personal access tokens for /api as well as /v1 (#17, #15 hole 11): every key expires.
-- Keys created before this migration get 90 days from now, so that no script breaks without warning.
alter table gateway_api_key add column expires_at timestamptz;
update gateway_api_key set expires_at = now() + interval '90 days' where expires_at is null;
alter table gateway_api_key alter column expires_at set not null;
