-- The portal's light or dark theme, remembered per person (by the subject of their sign-in) on the
-- server, so that every browser they sign in from draws the pages in it from the first paint. No row:
-- the browser's own choice, else the system's prefers-color-scheme.
create table portal_theme (
    subject     text primary key,
    theme       text not null check (theme in ('light', 'dark')),
    updated_at  timestamptz not null default now()
);
