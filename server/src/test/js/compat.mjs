// Compatibility checks: drives a Jupyter-compatible server with the real @jupyterlab/services client, as JupyterLab
// does. Usage: node compat.mjs BASE_URL TOKEN [KERNEL_NAME]. Prints "PASS name" / "FAIL name: reason" per check and a
// closing "N passed, M failed" line; exits 1 if any check failed. The same checks pass against Jupyter Server itself.
import { ServerConnection, ContentsManager, KernelSpecManager, SessionManager, KernelManager } from '@jupyterlab/services';
import WebSocket from 'ws';

const [baseUrl, token, kernelName = 'python3'] = process.argv.slice(2);
const settings = ServerConnection.makeSettings({ baseUrl, wsUrl: baseUrl.replace(/^http/, 'ws'), token, WebSocket,
  appendToken: true });
const results = [];

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  })]).finally(() => clearTimeout(timer));
}

async function check(name, body) {
  try {
    await withTimeout(body(), 60000, name);
    results.push({ name, ok: true });
    console.log(`PASS ${name}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
  }
}

/** Runs code and collects IOPub messages of the request, with optional stdin answers. */
async function run(kernel, code, { stdin } = {}) {
  const future = kernel.requestExecute({ code, allow_stdin: Boolean(stdin), stop_on_error: true });
  const iopub = [];
  future.onIOPub = (msg) => iopub.push(msg);
  if (stdin) {
    future.onStdin = (msg) => future.sendInputReply({ value: stdin(msg.content.prompt), status: 'ok' }, msg.header);
  }
  const reply = await future.done;
  return { reply, iopub };
}

function streamText(iopub, name = 'stdout') {
  return iopub.filter((m) => m.header.msg_type === 'stream' && m.content.name === name).map((m) => m.content.text).join('');
}

const kernelManager = new KernelManager({ serverSettings: settings });
const sessionManager = new SessionManager({ serverSettings: settings, kernelManager });
const contents = new ContentsManager({ serverSettings: settings });

await check('auth_refusesWrongToken', async () => {
  const bad = ServerConnection.makeSettings({ baseUrl, wsUrl: settings.wsUrl, token: 'wrong-token', WebSocket });
  const response = await ServerConnection.makeRequest(`${baseUrl}api/contents`, {}, bad);
  assert(response.status === 403 || response.status === 401, `expected 401/403, got ${response.status}`);
  const none = await fetch(`${baseUrl}api/sessions`);
  assert(none.status === 401 || none.status === 403, `no token: expected 401/403, got ${none.status}`);
});

await check('kernelspecs_listsDefault', async () => {
  const specs = new KernelSpecManager({ serverSettings: settings });
  await specs.refreshSpecs();
  assert(specs.specs && specs.specs.kernelspecs[kernelName], `no kernel spec ${kernelName}`);
  assert(specs.specs.default, 'no default kernel');
  specs.dispose();
});

await check('contents_crud', async () => {
  const dir = await contents.newUntitled({ type: 'directory', path: '' });
  assert(dir.type === 'directory', `new dir type ${dir.type}`);
  const nb = await contents.newUntitled({ type: 'notebook', path: dir.path });
  assert(nb.name.endsWith('.ipynb'), `untitled notebook name ${nb.name}`);
  const content = { cells: [{ cell_type: 'code', source: 'x = 1', metadata: {}, outputs: [], execution_count: null, id: 'a1' }],
    metadata: {}, nbformat: 4, nbformat_minor: 5 };
  await contents.save(nb.path, { type: 'notebook', format: 'json', content });
  const read = await contents.get(nb.path, { content: true });
  assert(read.content.cells[0].source === 'x = 1', `saved source came back as ${JSON.stringify(read.content.cells[0].source)}`);
  const renamed = await contents.rename(nb.path, `${dir.path}/renamed.ipynb`);
  assert(renamed.name === 'renamed.ipynb', `renamed to ${renamed.name}`);
  const copy = await contents.copy(renamed.path, dir.path);
  assert(copy.name.includes('Copy'), `copy named ${copy.name}`);
  await contents.save(`${dir.path}/notes.txt`, { type: 'file', format: 'text', content: 'hello\n' });
  const text = await contents.get(`${dir.path}/notes.txt`);
  assert(text.content === 'hello\n' && text.format === 'text', 'text file round trip');
  await contents.save(`${dir.path}/data.bin`, { type: 'file', format: 'base64', content: Buffer.from([0, 1, 2, 255]).toString('base64') });
  const bin = await contents.get(`${dir.path}/data.bin`, { type: 'file', format: 'base64', content: true });
  assert(Buffer.from(bin.content, 'base64').equals(Buffer.from([0, 1, 2, 255])), 'base64 round trip');
  const listing = await contents.get(dir.path);
  const names = listing.content.map((m) => m.name).sort();
  assert(JSON.stringify(names) === JSON.stringify([copy.name, 'data.bin', 'notes.txt', 'renamed.ipynb'].sort()),
    `listing ${JSON.stringify(names)}`);
  await contents.delete(copy.path);
  let missing = false;
  try { await contents.get(copy.path); } catch (e) { missing = e.response && e.response.status === 404; }
  assert(missing, 'deleted file still readable');
});

await check('contents_checkpoints', async () => {
  const file = await contents.newUntitled({ type: 'file', path: '', ext: '.txt' });
  await contents.save(file.path, { type: 'file', format: 'text', content: 'v1' });
  const checkpoint = await contents.createCheckpoint(file.path);
  assert(checkpoint.id, 'checkpoint without id');
  const list = await contents.listCheckpoints(file.path);
  assert(list.some((c) => c.id === checkpoint.id), 'checkpoint not listed');
  await contents.save(file.path, { type: 'file', format: 'text', content: 'v2' });
  await contents.restoreCheckpoint(file.path, checkpoint.id);
  const restored = await contents.get(file.path);
  assert(restored.content === 'v1', `restored content ${restored.content}`);
  await contents.deleteCheckpoint(file.path, checkpoint.id);
  assert((await contents.listCheckpoints(file.path)).length === 0, 'checkpoint not deleted');
});

let session;
await check('sessions_startFindAndReuse', async () => {
  session = await sessionManager.startNew({ path: 'session-test.ipynb', name: 'session-test.ipynb', type: 'notebook',
    kernel: { name: kernelName } });
  assert(session.kernel, 'session without kernel');
  await session.kernel.info;
  const found = await sessionManager.findByPath('session-test.ipynb');
  assert(found && found.id === session.id, 'session not found by path');
  const models = await (await ServerConnection.makeRequest(`${baseUrl}api/sessions`, {}, settings)).json();
  assert(models.some((m) => m.id === session.id && m.kernel.id === session.kernel.id), 'session missing from list');
});

await check('kernel_executeStreamsResultsErrorsAndDisplays', async () => {
  const kernel = session.kernel;
  const a = await run(kernel, "print('hello')\n1 + 1");
  assert(a.reply.content.status === 'ok', `status ${a.reply.content.status}`);
  assert(streamText(a.iopub) === 'hello\n', `stdout ${JSON.stringify(streamText(a.iopub))}`);
  const result = a.iopub.find((m) => m.header.msg_type === 'execute_result');
  assert(result && result.content.data['text/plain'] === '2', 'no execute_result 2');
  const b = await run(kernel, '1/0');
  assert(b.reply.content.status === 'error' && b.reply.content.ename === 'ZeroDivisionError', 'no ZeroDivisionError reply');
  assert(b.iopub.some((m) => m.header.msg_type === 'error'), 'no error message on IOPub');
  const c = await run(kernel, "import sys\nfrom IPython.display import display, HTML\nsys.stderr.write('warn\\n')\ndisplay(HTML('<b>x</b>'))");
  assert(streamText(c.iopub, 'stderr') === 'warn\n', 'no stderr');
  const display = c.iopub.find((m) => m.header.msg_type === 'display_data');
  assert(display && display.content.data['text/html'] === '<b>x</b>', 'no HTML display');
  const statuses = c.iopub.filter((m) => m.header.msg_type === 'status').map((m) => m.content.execution_state);
  assert(statuses.includes('busy') && statuses.includes('idle'), `statuses ${statuses}`);
});

await check('kernel_stdinRoundTrip', async () => {
  const r = await run(session.kernel, "name = input('who? ')\nprint('hi ' + name)", { stdin: (prompt) => `quire:${prompt}` });
  assert(streamText(r.iopub) === 'hi quire:who? \n', `stdout ${JSON.stringify(streamText(r.iopub))}`);
});

await check('kernel_completeAndInspect', async () => {
  const complete = await session.kernel.requestComplete({ code: 'import o', cursor_pos: 8 });
  assert(complete.content.status === 'ok' && complete.content.matches.includes('os'), 'no completion os');
  const inspect = await session.kernel.requestInspect({ code: 'print', cursor_pos: 5, detail_level: 0 });
  assert(inspect.content.status === 'ok' && inspect.content.found, 'print not inspected');
});

await check('kernel_interruptStopsALongSleep', async () => {
  const kernel = session.kernel;
  const future = kernel.requestExecute({ code: 'import time\ntime.sleep(60)' });
  await new Promise((resolve) => {
    future.onIOPub = (msg) => { if (msg.header.msg_type === 'execute_input') resolve(); };
  });
  const started = Date.now();
  await kernel.interrupt();
  const reply = await future.done.catch((e) => e);
  const content = reply.content || {};
  assert(content.status === 'error' && content.ename === 'KeyboardInterrupt', `reply ${JSON.stringify(content)}`);
  assert(Date.now() - started < 15000, 'interrupt took too long');
});

await check('kernel_restartClearsState', async () => {
  const kernel = session.kernel;
  await run(kernel, 'restart_marker = 42');
  await kernel.restart();
  const r = await run(kernel, 'restart_marker');
  assert(r.reply.content.status === 'error' && r.reply.content.ename === 'NameError', 'state survived the restart');
});

await check('sessions_shutdown', async () => {
  const id = session.id;
  await session.shutdown();
  const models = await (await ServerConnection.makeRequest(`${baseUrl}api/sessions`, {}, settings)).json();
  assert(!models.some((m) => m.id === id), 'session still listed after shutdown');
});

const passed = results.filter((r) => r.ok).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
sessionManager.dispose();
kernelManager.dispose();
process.exit(results.length === passed ? 0 : 1);
