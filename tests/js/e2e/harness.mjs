// End-to-end test support: the fake upstreams (the `fake_upstream` program built from
// tests/support/, driven by a JSON scenario), the real claude-code-companion binary with a
// config.yaml pointing at them, and the real Claude Code CLI from tests/js/node_modules.
// Missing prerequisites throw: an end-to-end test that silently skips proves nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleepRef } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/// Timers used as race deadlines must not keep node alive once the race is decided.
const sleep = (ms) => sleepRef(ms, undefined, { ref: false });

export const JS_DIR = path.resolve(HERE, '..');
export const REPO_DIR = path.resolve(JS_DIR, '../..');

export function requireEnvFile(name) {
	const value = process.env[name];
	if (!value)
		throw new Error(`environment variable ${name} is not set (ctest sets it; see tests/CMakeLists.txt)`);
	if (!fs.existsSync(value))
		throw new Error(`${name}=${value} does not exist (build it first: cmake --build <build dir> --target ...)`);
	return value;
}

/// The Claude Code CLI installed by scripts/js-deps.sh.
export function claudeBinary() {
	const bin = path.join(JS_DIR, 'node_modules/.bin/claude');
	if (!fs.existsSync(bin))
		throw new Error(`Claude Code CLI not found at ${bin}: run scripts/js-deps.sh (npm ci in tests/js)`);
	return bin;
}

/// The official SDK's default export (the Anthropic client class).
export async function anthropicSdk() {
	try {
		return (await import('@anthropic-ai/sdk')).default;
	} catch (e) {
		throw new Error(`@anthropic-ai/sdk is not installed in tests/js/node_modules (run scripts/js-deps.sh): ${e.message}`);
	}
}

export async function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

export function tempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/// Fake upstream servers described by a scenario (format: tests/support/fake_upstream_main.cpp):
///   { servers: [ { name, responses: [...], routes: [...], refused } ] }
/// Every request they receive is logged; requests(name) returns them in arrival order, each
/// { server, sequence, index, connection, method, target, path, query, headers, body, bodyBase64 }.
/// `sequence` is shared by all servers: it orders attempts across upstreams.
export class FakeUpstreams {
	constructor(scenario) {
		this.scenario = scenario;
		this.ports = {};
		this.output = '';
	}

	async start({ timeoutMs = 10000 } = {}) {
		const binary = requireEnvFile('FAKE_UPSTREAM');
		this.dir = tempDir('ccc-fake-');
		this.logPath = path.join(this.dir, 'requests.jsonl');
		const scenarioPath = path.join(this.dir, 'scenario.json');
		fs.writeFileSync(scenarioPath, JSON.stringify({ ...this.scenario, requestLog: this.logPath }, null, 1));
		// stdin stays open as a pipe: the program exits when we close it (or die).
		this.child = spawn(binary, [scenarioPath], { stdio: ['pipe', 'pipe', 'pipe'] });
		this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
		this.child.stderr.on('data', (d) => { this.output += d; });
		const ready = new Promise((resolve) => {
			let buffered = '';
			this.child.stdout.on('data', (d) => {
				this.output += d;
				buffered += d;
				let nl;
				while ((nl = buffered.indexOf('\n')) >= 0) {
					const line = buffered.slice(0, nl);
					buffered = buffered.slice(nl + 1);
					const m = /^READY (\S+) (\d+)$/.exec(line);
					if (m)
						this.ports[m[1]] = Number(m[2]);
					if (line === 'ALL READY')
						resolve(true);
				}
			});
		});
		const result = await Promise.race([ready, this.exited, sleep(timeoutMs).then(() => 'timeout')]);
		if (result !== true)
			throw new Error(`fake_upstream did not start (${JSON.stringify(result)}):\n${this.output}`);
	}

	port(name) {
		if (!(name in this.ports))
			throw new Error(`no fake upstream named ${name}`);
		return this.ports[name];
	}

	url(name) { return `http://127.0.0.1:${this.port(name)}`; }

	/// Logged requests (all servers, or one), in arrival order.
	requests(name) {
		if (!fs.existsSync(this.logPath))
			return [];
		const all = fs.readFileSync(this.logPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
		all.sort((a, b) => a.sequence - b.sequence);
		return name === undefined ? all : all.filter((r) => r.server === name);
	}

	/// Logged requests to the Messages API (ignores HEAD probes, count_tokens, etc.).
	messageRequests(name) {
		return this.requests(name).filter((r) => r.method === 'POST' && r.path.endsWith('/v1/messages'));
	}

	/// The exact body bytes of a logged request.
	static bodyBytes(request) { return Buffer.from(request.bodyBase64, 'base64'); }

	async stop() {
		if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
			this.child.stdin.end();
			const done = await Promise.race([this.exited, sleep(5000).then(() => null)]);
			if (!done) {
				this.child.kill('SIGKILL');
				await this.exited;
			}
		}
		if (this.dir && !process.env.CCC_KEEP_TEST_DIRS)
			fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

/// YAML for a list of endpoints { name, url, priority, auth_type?, auth_value?, enabled?, extra? }
/// (extra: raw YAML lines appended to the endpoint, already indented by 4 spaces).
export function endpointsYaml(endpoints) {
	return endpoints.map((e, i) => [
		`  - name: ${e.name}`,
		`    url: ${e.url}`,
		`    endpoint_type: ${e.endpoint_type ?? 'anthropic'}`,
		`    auth_type: ${e.auth_type ?? 'auth_token'}`,
		`    auth_value: ${e.auth_value ?? `upstream-token-${e.name}`}`,
		`    priority: ${e.priority ?? i + 1}`,
		`    enabled: ${e.enabled ?? true}`,
		...(e.extra ? [e.extra] : []),
	].join('\n')).join('\n');
}

/// The real claude-code-companion with a config.yaml written into a fresh temporary directory.
export class ProxyProcess {
	/// `endpoints` as for endpointsYaml; `extraYaml` is appended at the top level.
	constructor({ endpoints, extraYaml = '' }) {
		this.endpoints = endpoints;
		this.extraYaml = extraYaml;
		this.output = '';
	}

	get baseUrl() { return `http://127.0.0.1:${this.port}`; }

	async start({ timeoutMs = 15000 } = {}) {
		const binary = requireEnvFile('CCC_BINARY');
		this.port = await freePort();
		this.dir = tempDir('ccc-e2e-');
		this.configPath = path.join(this.dir, 'config.yaml');
		const yaml = [
			'server:',
			'  host: 127.0.0.1',
			`  port: ${this.port}`,
			'logging:',
			'  level: debug',
			`  log_directory: ${path.join(this.dir, 'logs')}`,
			'endpoints:',
			endpointsYaml(this.endpoints),
			this.extraYaml,
		].join('\n') + '\n';
		fs.writeFileSync(this.configPath, yaml);
		const args = ['--config', this.configPath, '--port', String(this.port)];
		if (process.env.CCC_ADMIN_DIR)
			args.push('--admin-dir', process.env.CCC_ADMIN_DIR);
		this.child = spawn(binary, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
		this.child.stdout.on('data', (d) => { this.output += d; });
		this.child.stderr.on('data', (d) => { this.output += d; });
		this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const done = await Promise.race([this.exited, sleep(100).then(() => null)]);
			if (done)
				throw new Error(`claude-code-companion exited early (${JSON.stringify(done)}):\n${this.output}\nconfig:\n${yaml}`);
			try {
				const res = await fetch(`${this.baseUrl}/healthz`);
				if (res.ok)
					return;
			} catch {
				// not listening yet
			}
		}
		throw new Error(`claude-code-companion did not answer /healthz within ${timeoutMs} ms:\n${this.output}`);
	}

	async stop() {
		if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
			this.child.kill('SIGTERM');
			const done = await Promise.race([this.exited, sleep(5000).then(() => null)]);
			if (!done) {
				this.child.kill('SIGKILL');
				await this.exited;
			}
		}
		if (this.dir && !process.env.CCC_KEEP_TEST_DIRS)
			fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

/// Runs `claude -p <prompt>` headless against baseUrl, the way the reference notes describe
/// (/work/shared/reference/claude-code-traffic.md): fresh HOME, dummy credential, no
/// non-essential traffic, few own retries, stdin closed. Resolves { code, signal, stdout, stderr }.
export async function runClaude({ baseUrl, prompt = 'say pong', args = [], env = {}, timeoutMs = 120000, cwd }) {
	const bin = claudeBinary();
	const home = tempDir('ccc-claude-home-');
	const workDir = cwd ?? tempDir('ccc-claude-cwd-');
	const childEnv = {
		PATH: process.env.PATH,
		HOME: home,
		ANTHROPIC_BASE_URL: baseUrl,
		ANTHROPIC_AUTH_TOKEN: 'client-token',
		API_TIMEOUT_MS: '600000',
		CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
		CLAUDE_CODE_MAX_RETRIES: '1',
		...env,
	};
	const child = spawn(bin, ['-p', prompt, ...args], { cwd: workDir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d) => { stdout += d; });
	child.stderr.on('data', (d) => { stderr += d; });
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const result = await Promise.race([exited, sleep(timeoutMs).then(() => null)]);
	if (!result) {
		child.kill('SIGKILL');
		await exited;
	}
	// Helpers the CLI leaves behind may still hold its stdout/stderr; do not wait for them.
	child.stdout.destroy();
	child.stderr.destroy();
	if (!process.env.CCC_KEEP_TEST_DIRS) {
		fs.rmSync(home, { recursive: true, force: true });
		if (!cwd)
			fs.rmSync(workDir, { recursive: true, force: true });
	}
	return { code: result ? result.code : null, signal: result ? result.signal : 'timeout', stdout, stderr };
}

/// Starts the fakes then the proxy with one endpoint per named fake server (in this order of
/// priority); returns { fakes, proxy, stop() }.
export async function startProxyWithFakes(servers, { extraYaml = '' } = {}) {
	const fakes = new FakeUpstreams({ servers });
	await fakes.start();
	const proxy = new ProxyProcess({
		endpoints: servers.map((s, i) => ({ name: s.name, url: fakes.url(s.name), priority: i + 1, ...(s.endpoint ?? {}) })),
		extraYaml,
	});
	try {
		await proxy.start();
	} catch (e) {
		await fakes.stop();
		throw e;
	}
	return {
		fakes,
		proxy,
		async stop() {
			await proxy.stop();
			await fakes.stop();
		},
	};
}
