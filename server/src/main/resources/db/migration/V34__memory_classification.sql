-- A memory carries the classification of the session that wrote it and only reaches sessions at
-- that level or above (#15 hole 4). Memories written before this migration have no known
-- classification: they are treated as secret (fail closed); members can list and delete them.
alter table droid_memory add column classification text not null default 'secret';
alter table droid_memory add constraint droid_memory_classification_check
    check (classification in ('public', 'internal', 'confidential', 'secret'));
create index droid_memory_recall_idx on droid_memory (workspace, id desc);
