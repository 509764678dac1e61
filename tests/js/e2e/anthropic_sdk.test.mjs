// The official @anthropic-ai/sdk through the proxy: messages.create() and messages.stream()
// (finalMessage and incremental text), with the first endpoint failing so failover is exercised.
// Run by ctest (e2e.anthropic_sdk) with CCC_BINARY and FAKE_UPSTREAM set.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { FakeUpstreams, anthropicSdk, startProxyWithFakes } from './harness.mjs';

const TIMEOUT = 60000;
const MODEL = 'claude-opus-4-8';

async function client(baseURL) {
	const Anthropic = await anthropicSdk();
	// authToken -> "Authorization: Bearer"; no own retries: failover is the proxy's job.
	return new Anthropic({ baseURL, authToken: 'client-token', maxRetries: 0, timeout: 30000 });
}

function explain(setup) {
	return `upstream requests: ${JSON.stringify(setup.fakes.requests().map((r) => [r.server, r.method, r.target]))}\n`
		+ `proxy output:\n${setup.proxy.output.slice(-4000)}`;
}

const PARAMS = { model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'say pong' }] };

describe('@anthropic-ai/sdk through the proxy', { concurrency: false }, () => {
	test('messages.create() fails over from a 529 to the second endpoint', { timeout: TIMEOUT }, async () => {
		const setup = await startProxyWithFakes([
			{ name: 'first', responses: [{ kind: 'overloaded' }] },
			{ name: 'second', responses: [{ kind: 'anthropic', text: 'pong (non-streaming)' }] },
		]);
		try {
			const sdk = await client(setup.proxy.baseUrl);
			let msg;
			try {
				msg = await sdk.messages.create(PARAMS);
			} catch (e) {
				assert.fail(`create() failed: ${e}\n${explain(setup)}`);
			}
			assert.equal(msg.type, 'message');
			assert.equal(msg.role, 'assistant');
			assert.equal(msg.content[0].type, 'text');
			assert.equal(msg.content[0].text, 'pong (non-streaming)');
			assert.equal(msg.stop_reason, 'end_turn');
			assert.equal(msg.model, MODEL);
			const first = setup.fakes.messageRequests('first');
			const second = setup.fakes.messageRequests('second');
			assert.ok(first.length >= 1 && second.length === 1, explain(setup));
			assert.ok(first[0].sequence < second[0].sequence);
			assert.equal(second[0].headers.authorization, 'Bearer upstream-token-second');
			assert.deepEqual(JSON.parse(second[0].body), PARAMS);
		} finally {
			await setup.stop();
		}
	});

	test('messages.stream() delivers text incrementally and a complete finalMessage()', { timeout: TIMEOUT }, async () => {
		const setup = await startProxyWithFakes([
			{ name: 'first', responses: [{ kind: 'error', status: 500, errorType: 'api_error', message: 'boom' }] },
			{ name: 'second', responses: [{ kind: 'anthropic', text: 'streamed pong, in several pieces', delayMs: 50 }] },
		]);
		try {
			const sdk = await client(setup.proxy.baseUrl);
			const pieces = [];
			let final;
			try {
				const stream = sdk.messages.stream(PARAMS);
				stream.on('text', (t) => pieces.push(t));
				final = await stream.finalMessage();
			} catch (e) {
				assert.fail(`stream() failed: ${e}\n${explain(setup)}`);
			}
			assert.equal(final.content[0].text, 'streamed pong, in several pieces');
			assert.ok(pieces.length >= 2, `text arrived in ${pieces.length} pieces`);
			assert.equal(pieces.join(''), 'streamed pong, in several pieces');
			assert.equal(final.stop_reason, 'end_turn');
			assert.equal(final.usage.output_tokens, 12);
			const second = setup.fakes.messageRequests('second');
			assert.equal(second.length, 1, explain(setup));
			assert.equal(JSON.parse(second[0].body).stream, true);
		} finally {
			await setup.stop();
		}
	});

	test('messages.stream() fails over from a 200 carrying an SSE error event', { timeout: TIMEOUT }, async () => {
		const setup = await startProxyWithFakes([
			{ name: 'first', responses: [{ kind: 'midError' }] },
			{ name: 'second', responses: [{ kind: 'anthropic', text: 'recovered pong' }] },
		]);
		try {
			const sdk = await client(setup.proxy.baseUrl);
			let final;
			try {
				final = await sdk.messages.stream(PARAMS).finalMessage();
			} catch (e) {
				assert.fail(`stream() failed: ${e}\n${explain(setup)}`);
			}
			assert.equal(final.content[0].text, 'recovered pong');
		} finally {
			await setup.stop();
		}
	});
});

describe('@anthropic-ai/sdk against a fake upstream directly (checks the fakes themselves)', () => {
	test('create() and stream() accept the fixtures', { timeout: TIMEOUT }, async () => {
		const fakes = new FakeUpstreams({ servers: [{ name: 'direct', responses: [{ kind: 'anthropic', text: 'direct answer' }] }] });
		await fakes.start();
		try {
			const sdk = await client(fakes.url('direct'));
			const msg = await sdk.messages.create(PARAMS);
			assert.equal(msg.content[0].text, 'direct answer');
			const final = await sdk.messages.stream(PARAMS).finalMessage();
			assert.equal(final.content[0].text, 'direct answer');
			assert.equal(final.usage.input_tokens, 25);
			const reqs = fakes.messageRequests('direct');
			assert.equal(reqs.length, 2);
			assert.equal(reqs[0].headers.authorization, 'Bearer client-token');
		} finally {
			await fakes.stop();
		}
	});
});
