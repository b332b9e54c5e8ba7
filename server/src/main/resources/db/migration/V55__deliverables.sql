-- Deliverables (issue #19): what became of each session's merge request, tracked through webhooks and
-- by polling the git server: its state, when it merged and into which commit, who approved it (and
-- whether the person who delegated the session did: a governance violation), the approval rule set
-- on it, and the droid's lines that still exist in the default branch 7 and 30 days after the merge.
alter table session_delivery add column mr_state text;                -- opened | merged | closed
alter table session_delivery add column mr_merged_at timestamptz;
alter table session_delivery add column mr_closed_at timestamptz;
alter table session_delivery add column merge_commit text;
alter table session_delivery add column mr_checked_at timestamptz;    -- last poll of the git server
alter table session_delivery add column approved_by text not null default '';  -- comma-separated git-server users
alter table session_delivery add column delegator_approved_by text;   -- set when the delegator approved
alter table session_delivery add column approval_rule text;           -- what was set on the git server, or why not
alter table session_delivery add column lines_added int;
alter table session_delivery add column lines_kept_7d int;
alter table session_delivery add column lines_kept_30d int;
create index session_delivery_open_mr on session_delivery (mr_checked_at nulls first)
    where mr_number is not null and coalesce(mr_state, 'opened') = 'opened';

-- Migrations: a task whose dependency delivered a merge request is ready once the dependency's
-- session succeeded (session-succeeded, as before) or once that merge request merged (merged).
alter table migration add column ready_when text not null default 'session-succeeded';
