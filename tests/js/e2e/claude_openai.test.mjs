// The real Claude Code CLI served by an OpenAI-compatible endpoint through the proxy: the model
// (a fake Chat Completions upstream) asks for the Bash tool, Claude Code runs it, sends the result
// back, and prints the model's final text. Run by ctest (e2e.claude_openai).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FakeUpstreams, claudeBinary, runClaude, startProxyWithFakes } from './harness.mjs';

test('Claude Code completes a tool-call turn against an OpenAI-compatible endpoint', { timeout: 150000 }, async () => {
	claudeBinary();
	const marker = 'ccc-e2e-marker-4711';
	const final = 'The command printed the marker.';
	const setup = await startProxyWithFakes([{
		name: 'gpt',
		endpoint: { endpoint_type: 'openai', extra: '    path_prefix: /v1/chat/completions' },
		responses: [
			{ kind: 'openaiToolCall', tool: 'Bash', input: { command: `echo ${marker}`, description: 'Print a marker' } },
			{ kind: 'openai', text: final },
		],
	}]);
	try {
		const run = await runClaude({ baseUrl: setup.proxy.baseUrl, prompt: 'Run the echo command and tell me what it printed.',
			args: ['--allowedTools', 'Bash'] });
		const reqs = setup.fakes.requests().filter((r) => r.path === '/v1/chat/completions');
		const why = `claude exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}\nrequests: ${reqs.length}\n`
			+ `proxy output:\n${setup.proxy.output.slice(-4000)}`;
		assert.equal(run.code, 0, why);
		assert.ok(run.stdout.includes(final), why);
		assert.ok(reqs.length >= 2, why);
		// The second turn carries the tool call and, right after it, the tool's real output.
		const second = JSON.parse(FakeUpstreams.bodyBytes(reqs[1]).toString('utf8'));
		const calls = second.messages.filter((m) => m.role === 'assistant' && Array.isArray(m.tool_calls));
		assert.ok(calls.length >= 1, why);
		const toolMsg = second.messages.find((m) => m.role === 'tool');
		assert.ok(toolMsg, why);
		const content = typeof toolMsg.content === 'string' ? toolMsg.content : JSON.stringify(toolMsg.content);
		assert.ok(content.includes(marker), `tool result: ${content}\n${why}`);
		assert.equal(reqs[0].headers.authorization, 'Bearer upstream-token-gpt');
	} finally {
		await setup.stop();
	}
});
