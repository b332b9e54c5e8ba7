-- Circuit breakers shared by replicas (issue 21): the latest opening of each endpoint's breaker on
-- any replica, and until when it keeps requests away. Every replica reads it and stays away as long.
create table endpoint_breaker (
    endpoint text primary key,
    open_until timestamptz not null,
    opened_by text not null,
    opened_at timestamptz not null
);
