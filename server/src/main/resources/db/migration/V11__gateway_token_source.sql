-- Issue 4: token counts come from the server's usage, the endpoint's tokenizer file, or an estimate.
alter table model_endpoint add column tokenizer text;

alter table gateway_request add column token_source text not null default 'estimate'
    check (token_source in ('usage', 'tokenizer', 'estimate'));
update gateway_request set token_source = 'usage' where usage_reported;
