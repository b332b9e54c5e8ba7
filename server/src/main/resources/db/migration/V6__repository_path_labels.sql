-- Classification labels on paths of a repository (a JSON list of {"path": glob, "classification": label},
-- each raising the content under it above the repository's label), and the classification of the
-- stored project overview (the highest label of the files it was written from).
alter table repository
    add column path_labels text not null default '[]',
    add column overview_classification text
        check (overview_classification in ('public', 'internal', 'confidential', 'secret'));
