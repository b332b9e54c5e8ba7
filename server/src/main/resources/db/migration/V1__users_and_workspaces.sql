-- People who have signed in, as Keycloak identifies them. Identity stays in Keycloak; this is the
-- local record that sessions, audit and usage point at.
create table app_user (
    id            bigserial primary key,
    subject       text not null unique,
    username      text not null,
    display_name  text not null,
    email         text,
    first_seen_at timestamptz not null default now(),
    last_seen_at  timestamptz not null default now()
);

-- Team workspaces. Membership comes from Keycloak groups /workspaces/<slug>/<admins|members|viewers>;
-- this table records the workspaces Drydock has seen and their settings.
create table workspace (
    id           bigserial primary key,
    slug         text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    display_name text not null,
    created_at   timestamptz not null default now()
);
