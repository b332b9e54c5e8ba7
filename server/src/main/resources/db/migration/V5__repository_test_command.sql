-- A workspace admin's override of the test command detected from the repository's files.
alter table repository add column test_command text;
