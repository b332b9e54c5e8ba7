-- Work arrives from tickets and incidents (issue #19). A workspace's Jira Data Center connection
-- (base URL, the workspace secret holding a personal access token, optionally the project keys it may
-- start sessions from); the sessions started from a ticket (Jira issue or GitLab issue) and whether
-- the outcome was written back; Alertmanager receivers of a workspace (their credential is a workspace
-- secret, the repository their reliability sessions run on, where the RCA goes) and the alert groups
-- they received (one running session per group key and set of firing alerts).
create table ticket_jira (
    workspace     text primary key references workspace(slug) on delete cascade,
    base_url      text not null,
    secret_name   text not null,
    -- comma-separated project keys; empty: any project the token can read
    projects      text not null default '',
    updated_by    text not null,
    updated_at    timestamptz not null
);

create table ticket_session (
    session_id    uuid primary key,
    workspace     text not null,
    -- 'jira' or 'gitlab'
    source        text not null,
    -- the Jira key (PROJ-12) or the GitLab issue iid
    ticket        text not null,
    repo          text not null,
    ticket_url    text not null,
    session_link  text not null,
    created_by    text not null,
    created_at    timestamptz not null,
    reported_at   timestamptz,
    report        text
);

create table alert_receiver (
    workspace       text not null references workspace(slug) on delete cascade,
    name            text not null,
    -- 'bearer' or 'basic'
    auth            text not null,
    username        text,
    secret_name     text not null,
    repo            text not null,
    instructions    text not null default '',
    -- send the RCA as the webhook-out event incident.rca
    webhook         boolean not null default true,
    -- a Jira project to open an issue in for the RCA, and/or an alert label naming an issue key to comment on
    jira_project    text,
    jira_key_label  text,
    created_by      text not null,
    created_at      timestamptz not null,
    primary key (workspace, name)
);

create table alert_incident (
    id              uuid primary key,
    workspace       text not null,
    receiver        text not null,
    group_key       text not null,
    -- sha256 over the firing alerts' fingerprints (or label sets), sorted
    firing_digest   text not null,
    -- the firing alerts' identities, sorted, one a line: a notification with a subset of them is the same incident
    firing_ids      text not null,
    alert_name      text not null,
    -- the alert labels as received (JSON), for the Jira key label and the RCA's report
    labels          text not null,
    session_id      uuid,
    session_link    text,
    -- true while its session may still run: the same group and alerts start no second session
    open            boolean not null default true,
    received_at     timestamptz not null,
    resolved_at     timestamptz,
    reported_at     timestamptz,
    report          text
);
create unique index alert_incident_open on alert_incident (workspace, receiver, group_key, firing_digest) where open;
create index alert_incident_session on alert_incident (session_id) where session_id is not null;
create index alert_incident_group on alert_incident (workspace, receiver, group_key);
