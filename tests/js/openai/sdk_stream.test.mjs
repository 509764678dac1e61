// The Anthropic events our OpenAI stream converter produces (the golden events of
// tests/data/openai/streams.json, which the C++ unit tests prove the converter emits byte for byte
// in canonical form) are accepted by the official @anthropic-ai/sdk: messages.stream().finalMessage()
// equals the message accumulated independently from the events, tool_use input included.
// Run: cd tests/js && node --test openai/sdk_stream.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';

const here = path.dirname(fileURLToPath(import.meta.url));
const cases = JSON.parse(fs.readFileSync(path.join(here, '../../data/openai/streams.json'), 'utf8'));

function accumulate(events) {
	let msg = null;
	for (const ev of events) {
		if (ev.type === 'message_start') msg = structuredClone(ev.message);
		else if (ev.type === 'content_block_start') msg.content.push(structuredClone(ev.content_block));
		else if (ev.type === 'content_block_delta') {
			const b = msg.content[ev.index];
			if (ev.delta.type === 'text_delta') b.text += ev.delta.text;
			else if (ev.delta.type === 'thinking_delta') b.thinking += ev.delta.thinking;
			else if (ev.delta.type === 'input_json_delta') b.json = (b.json ?? '') + ev.delta.partial_json;
		} else if (ev.type === 'content_block_stop') {
			const b = msg.content[ev.index];
			if (b.type === 'tool_use') {
				b.input = JSON.parse(b.json || '{}');
				delete b.json;
			}
		} else if (ev.type === 'message_delta') {
			msg.stop_reason = ev.delta.stop_reason;
			msg.stop_sequence = ev.delta.stop_sequence;
			Object.assign(msg.usage, ev.usage);
		}
	}
	return msg;
}

for (const c of cases.filter((c) => c.expect.ok)) {
	test(`SDK accepts converted stream: ${c.name}`, async () => {
		const body = c.expect.events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('');
		const client = new Anthropic({
			apiKey: 'test', baseURL: 'http://127.0.0.1:9', maxRetries: 0,
			fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
		});
		const stream = client.messages.stream({ model: 'claude-opus-4-8', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
		const msg = await stream.finalMessage();
		// Compared as JSON: the SDK adds fields of its own that are undefined or null here.
		const got = JSON.parse(JSON.stringify(msg));
		delete got.parsed_output;
		assert.deepEqual(got, accumulate(c.expect.events));
	});
}
