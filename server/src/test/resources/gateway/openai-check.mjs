// Drives the Drydock /v1 front door with the official openai npm client (run by GatewayOpenAiClientTest).
// Env: BASE_URL (…/v1), API_KEY, MODEL, TOOL_MODEL. Prints one JSON object per check, then a summary line.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0, timeout: 30000 });
const results = {};
async function check(name, fn) {
  try {
    results[name] = { ok: true, value: await fn() };
  } catch (e) {
    results[name] = { ok: false, error: String(e && e.message || e), status: e && e.status };
  }
  console.log(JSON.stringify({ check: name, ...results[name] }));
}

await check('models', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  if (!ids.includes(process.env.MODEL)) throw new Error('model missing from list: ' + ids.join(','));
  return ids;
});

await check('nonStream', async () => {
  const r = await client.chat.completions.create({ model: process.env.MODEL, messages: [{ role: 'user', content: 'hi' }] });
  if (r.choices[0].message.content !== 'Hello world') throw new Error('unexpected content ' + JSON.stringify(r.choices[0].message));
  return { content: r.choices[0].message.content, usage: r.usage };
});

await check('stream', async () => {
  const stream = await client.chat.completions.create({ model: process.env.MODEL, stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'hi' }] });
  let text = '';
  let usage = null;
  let finish = null;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    const c = chunk.choices[0];
    if (c && c.delta && c.delta.content) text += c.delta.content;
    if (c && c.finish_reason) finish = c.finish_reason;
  }
  if (text !== 'Hello world' || finish !== 'stop' || !usage) throw new Error('stream gave ' + JSON.stringify({ text, finish, usage }));
  return { text, finish, usage };
});

await check('tools', async () => {
  const tools = [{ type: 'function', function: { name: 'read_file', description: 'read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];
  const r = await client.chat.completions.create({ model: process.env.TOOL_MODEL, tools, messages: [{ role: 'user', content: 'read README' }] });
  const call = r.choices[0].message.tool_calls && r.choices[0].message.tool_calls[0];
  if (!call || call.function.name !== 'read_file' || JSON.parse(call.function.arguments).path !== 'README.md') throw new Error('no tool call: ' + JSON.stringify(r.choices[0]));
  return { name: call.function.name, arguments: call.function.arguments, finish: r.choices[0].finish_reason };
});

await check('toolsStream', async () => {
  const tools = [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }];
  const runner = client.chat.completions.stream({ model: process.env.TOOL_MODEL, tools, messages: [{ role: 'user', content: 'read README' }] });
  const final = await runner.finalChatCompletion();
  const call = final.choices[0].message.tool_calls[0];
  if (call.function.name !== 'read_file') throw new Error('wrong call ' + JSON.stringify(call));
  return { name: call.function.name, arguments: call.function.arguments };
});

await check('embeddings', async () => {
  const r = await client.embeddings.create({ model: 'local-embedding', input: ['hello world', 'drydock'] });
  if (r.data.length !== 2 || r.data[0].embedding.length !== 384) throw new Error('bad embeddings ' + r.data.length + 'x' + r.data[0].embedding.length);
  const norm = Math.sqrt(r.data[0].embedding.reduce((s, x) => s + x * x, 0));
  return { count: r.data.length, dimensions: r.data[0].embedding.length, norm };
});

await check('unknownModel', async () => {
  try {
    await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] });
  } catch (e) {
    if (!(e instanceof OpenAI.NotFoundError) || e.code !== 'model_not_found') throw new Error('wrong error ' + e.constructor.name + ' ' + e.code);
    return { status: e.status, code: e.code, type: e.type };
  }
  throw new Error('no error raised');
});

await check('wrongKey', async () => {
  const bad = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: 'dd_not-a-real-key', maxRetries: 0 });
  try {
    await bad.models.list();
  } catch (e) {
    if (!(e instanceof OpenAI.AuthenticationError)) throw new Error('wrong error ' + e.constructor.name);
    return { status: e.status, code: e.code };
  }
  throw new Error('no error raised');
});

const failed = Object.entries(results).filter(([, r]) => !r.ok).map(([n]) => n);
console.log(JSON.stringify({ summary: true, passed: Object.keys(results).length - failed.length, failed }));
process.exit(failed.length === 0 ? 0 : 1);
