-- The project overview computed from the indexed commit (languages, build, modules, test command, entry points).
alter table repository add column overview text;
