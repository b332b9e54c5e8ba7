-- Issue #19: MCP tool servers a drydock-admin registers (Streamable HTTP from the server, or a stdio
-- command run inside each session's sandbox), the workspaces that may use each, and the tools each
-- lists with the risk class and switch the admin set per tool.
create table mcp_server (
    name              text primary key check (name ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    transport         text not null check (transport in ('http', 'stdio')),
    url               text check (url is null or length(url) between 8 and 2048),
    command           text check (command is null or length(command) between 1 and 4096),
    credential_secret text,
    credential_header text,
    workspaces        text not null,
    created_by        text not null,
    created_at        timestamptz not null default now(),
    listed_at         timestamptz,
    list_error        text,
    check ((transport = 'http') = (url is not null)),
    check ((transport = 'stdio') = (command is not null))
);

create table mcp_tool (
    server       text not null references mcp_server (name) on delete cascade,
    name         text not null,
    description  text not null,
    input_schema text not null,
    risk         text not null check (risk in ('READ_ONLY', 'WRITES_WORKSPACE', 'NETWORK', 'DESTRUCTIVE')),
    enabled      boolean not null default true,
    updated_by   text,
    primary key (server, name)
);
