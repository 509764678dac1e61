// Regenerates tests/data/claude-code/messages-request.json (+ .headers.json): the exact body and
// headers the real Claude Code CLI sends for `claude -p "say pong"`, captured by a fake upstream
// (no proxy in between). Used by the byte-identical forwarding tests and the benchmarks.
//   FAKE_UPSTREAM=<build>/bin/fake_upstream node tests/js/e2e/capture-claude-request.mjs
// The credential is a dummy ("client-token"); the body carries no secret, only the fresh HOME's
// random device id and the temporary working directory.
import fs from 'node:fs';
import path from 'node:path';

import { FakeUpstreams, REPO_DIR, runClaude, tempDir } from './harness.mjs';

const outDir = path.join(REPO_DIR, 'tests/data/claude-code');
const fakes = new FakeUpstreams({ servers: [{ name: 'capture', responses: [{ kind: 'anthropic', text: 'pong' }] }] });
await fakes.start();
const root = tempDir('ccc-capture-');
try {
	const cwd = path.join(root, 'project');
	fs.mkdirSync(cwd);
	const run = await runClaude({ baseUrl: fakes.url('capture'), prompt: 'say pong', cwd });
	if (run.code !== 0 || !run.stdout.includes('pong'))
		throw new Error(`claude failed (${run.code}): ${run.stdout}\n${run.stderr}`);
	const [req] = fakes.messageRequests('capture');
	if (!req)
		throw new Error('no /v1/messages request captured');
	const body = FakeUpstreams.bodyBytes(req);
	JSON.parse(body.toString('utf8')); // must be JSON
	fs.mkdirSync(outDir, { recursive: true });
	fs.writeFileSync(path.join(outDir, 'messages-request.json'), body);
	fs.writeFileSync(path.join(outDir, 'messages-request.headers.json'),
		JSON.stringify({ method: req.method, target: req.target, headers: req.headers }, null, 2) + '\n');
	console.log(`captured ${body.length} bytes from ${req.headers['user-agent']} into ${outDir}`);
} finally {
	await fakes.stop();
	fs.rmSync(root, { recursive: true, force: true });
}
