-- Work arrives (issue #19): per repository, the workspace secret its git server signs webhooks with,
-- the issue label that turns a ticket into a session, labels put on merge requests, and whether the
-- push uses a token minted for it; and every webhook received (replays are refused by delivery id
-- and by body digest), with the session it continued or started.
alter table repository_delivery add column hook_secret text;
alter table repository_delivery add column ticket_label text;
alter table repository_delivery add column mr_labels text not null default '';
alter table repository_delivery add column mint_tokens boolean not null default false;

create table hook_received (
    id            bigserial primary key,
    vendor        text not null,
    workspace     text not null,
    repo          text not null,
    delivery_id   text,
    body_sha256   text not null,
    event         text not null,
    -- who the git server says sent it (the comment or ticket author)
    actor         text not null,
    outcome       text not null,
    session_id    uuid,
    -- the issue or merge request the hook was about (a ticket starts at most one session)
    subject       text,
    session_link  text,
    received_at   timestamptz not null
);
create unique index hook_received_body on hook_received (vendor, workspace, repo, body_sha256);
create unique index hook_received_delivery on hook_received (vendor, workspace, repo, delivery_id) where delivery_id is not null;
create index hook_received_session on hook_received (session_id) where session_id is not null;
