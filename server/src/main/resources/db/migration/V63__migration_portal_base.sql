-- The portal's address as the person who started a migration reached it: the links of the merge
-- requests the scheduler opens for its tasks (readyWhen = merged) point there.
alter table migration add column portal_base text;
