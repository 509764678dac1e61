// The real Claude Code CLI (`claude -p`) through the proxy with two endpoints, the first failing
// in different ways: the answer printed must be the second endpoint's, the failing endpoint must
// have been tried first, and the upstreams must see the endpoint's credential, not the client's.
// Run by ctest (e2e.claude_cli) with CCC_BINARY and FAKE_UPSTREAM set.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { FakeUpstreams, claudeBinary, runClaude, startProxyWithFakes } from './harness.mjs';

const TIMEOUT = 150000;

function explain(run, setup) {
	return `claude exit ${run.code} (${run.signal ?? ''})\nstdout: ${run.stdout}\nstderr: ${run.stderr}\n`
		+ `upstream requests: ${JSON.stringify(setup.fakes.requests().map((r) => [r.server, r.method, r.target]))}\n`
		+ `proxy output:\n${setup.proxy.output.slice(-4000)}`;
}

/// Runs `claude -p` through the proxy in front of [first, second] and checks the failover.
async function failoverCase(firstResponses, { minFirstAttempts = 1 } = {}) {
	claudeBinary(); // fail early and clearly when the CLI is not installed
	const answer = 'pong from the backup endpoint';
	const setup = await startProxyWithFakes([
		{ name: 'first', responses: firstResponses },
		{ name: 'second', responses: [{ kind: 'anthropic', text: answer }] },
	]);
	try {
		const run = await runClaude({ baseUrl: setup.proxy.baseUrl, prompt: 'say pong' });
		const why = explain(run, setup);
		assert.equal(run.code, 0, why);
		assert.ok(run.stdout.includes(answer), why);

		const first = setup.fakes.messageRequests('first');
		const second = setup.fakes.messageRequests('second');
		assert.ok(first.length >= minFirstAttempts, `first endpoint tried ${first.length} times\n${why}`);
		assert.ok(second.length >= 1, why);
		// The failing endpoint was tried before the backup answered.
		assert.ok(first[0].sequence < second[0].sequence, why);
		// Upstreams see the endpoint's own credential, never the client's.
		assert.equal(first[0].headers.authorization, 'Bearer upstream-token-first');
		assert.equal(second[0].headers.authorization, 'Bearer upstream-token-second');
		// Claude Code's own headers pass through.
		assert.match(second[0].headers['user-agent'] ?? '', /^claude-cli\//);
		assert.ok((second[0].headers['anthropic-beta'] ?? '').includes('claude-code-'), why);
		assert.equal(second[0].headers['anthropic-version'], '2023-06-01');
		// Both endpoints received the very same body bytes (forwarded untouched).
		assert.ok(FakeUpstreams.bodyBytes(first[0]).equals(FakeUpstreams.bodyBytes(second[0])), 'bodies differ between attempts');
		const body = JSON.parse(FakeUpstreams.bodyBytes(second[0]).toString('utf8'));
		assert.equal(body.stream, true);
		assert.ok(Array.isArray(body.tools) && body.tools.length > 0);
		return { setup, run };
	} finally {
		await setup.stop();
	}
}

describe('Claude Code CLI through the proxy', { concurrency: false }, () => {
	test('first endpoint overloaded (529): the second answers', { timeout: TIMEOUT }, async () => {
		await failoverCase([{ kind: 'overloaded' }]);
	});

	test('first endpoint 500: the second answers', { timeout: TIMEOUT }, async () => {
		await failoverCase([{ kind: 'error', status: 500, errorType: 'api_error', message: 'Internal server error' }]);
	});

	test('first endpoint 200 with message_start then event: error: the second answers, the client never sees it',
		{ timeout: TIMEOUT }, async () => {
			await failoverCase([{ kind: 'midError' }]);
		});

	test('first endpoint resets the connection before headers: the second answers', { timeout: TIMEOUT }, async () => {
		await failoverCase([{ kind: 'resetBeforeHeaders' }]);
	});

	test('first endpoint refuses connections: the second answers', { timeout: TIMEOUT }, async () => {
		claudeBinary();
		const answer = 'pong while the primary is down';
		const setup = await startProxyWithFakes([
			{ name: 'first', refused: true },
			{ name: 'second', responses: [{ kind: 'anthropic', text: answer }] },
		]);
		try {
			const run = await runClaude({ baseUrl: setup.proxy.baseUrl });
			assert.equal(run.code, 0, explain(run, setup));
			assert.ok(run.stdout.includes(answer), explain(run, setup));
		} finally {
			await setup.stop();
		}
	});
});

describe('Claude Code CLI against a fake upstream directly (checks the fakes themselves)', () => {
	test('the fixture stream is accepted by the real client', { timeout: TIMEOUT }, async () => {
		const fakes = new FakeUpstreams({ servers: [{ name: 'direct', responses: [{ kind: 'anthropic', text: 'direct pong' }] }] });
		await fakes.start();
		try {
			const run = await runClaude({ baseUrl: fakes.url('direct') });
			assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
			assert.ok(run.stdout.includes('direct pong'), run.stdout);
			const [req] = fakes.messageRequests('direct');
			assert.equal(req.target, '/v1/messages?beta=true');
			assert.equal(req.headers.authorization, 'Bearer client-token');
		} finally {
			await fakes.stop();
		}
	});
});
