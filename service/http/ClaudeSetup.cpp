#include "http/ClaudeSetup.h"

#include <Poco/String.h>

#include "http/Responses.h"

namespace ccc::http
{

namespace
{

std::string crlf(const std::string & s)
{
	std::string out;
	for (char c : s)
	{
		if (c == '\n')
			out += '\r';
		out += c;
	}
	return out;
}

} // namespace

EnvList claudeEnv(const std::string & baseUrl, const std::string & token)
{
	return {{"ANTHROPIC_BASE_URL", baseUrl}, {"ANTHROPIC_AUTH_TOKEN", token}, {"API_TIMEOUT_MS", "600000"},
		{"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"}};
}

std::string baseUrlForListen(const std::string & host, int port)
{
	std::string h = host;
	if (h.empty() || h == "0.0.0.0")
		h = "127.0.0.1";
	else if (h == "::" || h == "[::]")
		h = "[::1]";
	else if (h.find(':') != std::string::npos && h.front() != '[')
		h = "[" + h + "]";
	return "http://" + h + ":" + std::to_string(port);
}

bool isSafeHostHeader(const std::string & hostHeader)
{
	if (hostHeader.empty() || hostHeader.size() > 255)
		return false;
	for (char c : hostHeader)
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '['
				|| c == ']'))
			return false;
	return true;
}

std::string launcherFileName(const std::string & kind)
{
	return kind == "sh" || kind == "command" || kind == "bat" || kind == "ps1" ? "ccc." + kind : "";
}

std::string launcherScript(const std::string & kind, const std::string & baseUrl, const std::string & token)
{
	const EnvList env = claudeEnv(baseUrl, token);
	std::string s;
	if (kind == "sh" || kind == "command")
	{
		s = kind == "sh" ? "#!/bin/sh\n" : "#!/bin/bash\n";
		s += "# Runs Claude Code through Claude Code Companion at " + baseUrl + "\n";
		s += "# Usage: " + launcherFileName(kind) + " [claude arguments...]\n";
		for (const auto & [k, v] : env)
			s += "export " + k + "='" + v + "'\n";
		s += "exec claude \"$@\"\n";
	}
	else if (kind == "bat")
	{
		s = "@echo off\nrem Runs Claude Code through Claude Code Companion at " + baseUrl + "\nrem Usage: ccc.bat [claude arguments...]\nsetlocal\n";
		for (const auto & [k, v] : env)
			s += "set \"" + k + "=" + v + "\"\n";
		s += "claude %*\n";
		s = crlf(s);
	}
	else if (kind == "ps1")
	{
		s = "# Runs Claude Code through Claude Code Companion at " + baseUrl + "\n# Usage: .\\ccc.ps1 [claude arguments...]\n";
		for (const auto & [k, v] : env)
			s += "$env:" + k + " = '" + v + "'\n";
		s += "& claude @args\nexit $LASTEXITCODE\n";
		s = crlf(s);
	}
	return s;
}

std::string setupPageHtml(const std::string & version, const std::string & baseUrl, bool tokensRequired)
{
	const std::string token = tokensRequired ? kTokenPlaceholder : kAnyToken;
	std::string envBlock;
	for (const auto & [k, v] : claudeEnv(baseUrl, token))
		envBlock += "export " + k + "='" + v + "'\n";
	std::string tabs, panes;
	const std::pair<const char *, const char *> kinds[] = {{"sh", "Linux"}, {"command", "macOS"}, {"bat", "Windows (cmd)"}, {"ps1", "Windows (PowerShell)"}};
	for (const auto & [kind, label] : kinds)
	{
		tabs += std::string("<button class=\"tab\" data-os=\"") + kind + "\">" + label + "</button>";
		std::string how;
		if (std::string(kind) == "sh")
			how = "Save it, then <code>chmod +x ccc.sh</code> and run <code>./ccc.sh</code> instead of <code>claude</code>.";
		else if (std::string(kind) == "command")
			how = "Save it, then <code>chmod +x ccc.command</code>; run it from a terminal (<code>./ccc.command</code>) or double-click it in Finder.";
		else if (std::string(kind) == "bat")
			how = "Save it and run <code>ccc</code> instead of <code>claude</code> in <code>cmd</code> (arguments are passed on).";
		else
			how = "Save it and run <code>.\\ccc.ps1</code> instead of <code>claude</code> (you may need "
				  "<code>Set-ExecutionPolicy -Scope CurrentUser RemoteSigned</code>).";
		panes += std::string("<div class=\"pane\" id=\"pane-") + kind + "\"><p>" + how + " <a href=\"/setup/" + launcherFileName(kind)
			+ "\" download>Download " + launcherFileName(kind) + "</a> <button class=\"copy\" data-target=\"script-" + kind
			+ "\">Copy</button></p><pre id=\"script-" + kind + "\">" + htmlEscape(launcherScript(kind, baseUrl, token)) + "</pre></div>";
	}
	std::string tokenNote = tokensRequired
		? "<p class=\"note\">This proxy requires a client token: replace <code>" + std::string(kTokenPlaceholder)
			+ "</code> with one of the tokens listed in <code>server.client_tokens</code> (ask the person who runs it).</p>"
		: "<p class=\"note\">This proxy does not check client tokens, so any value works as <code>ANTHROPIC_AUTH_TOKEN</code>; "
		  "your real upstream keys stay in the proxy's configuration.</p>";
	std::string page = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Claude Code Setup Guide - Claude Code Companion</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
pre{background:#f4f5f7;padding:1em;overflow-x:auto;border-radius:6px}code{background:#f4f5f7;padding:0 .2em}
.tab{padding:.4em 1em;border:1px solid #ccc;background:#fff;cursor:pointer;border-radius:4px 4px 0 0}
.tab.active{background:#f4f5f7;font-weight:bold}.pane{display:none}.pane.active{display:block}
.note{background:#fff8e1;padding:.6em 1em;border-left:4px solid #f0b400}h2{margin-top:1.6em}dt{font-weight:bold;margin-top:.8em}
</style></head><body>
<h1>Claude Code Setup Guide</h1>
<p>Claude Code Companion %VERSION% is running at <code>%BASE%</code>. Point Claude Code at it and your requests fail over
between the upstream endpoints configured in the <a href="/admin/">admin</a>.</p>
%TOKEN_NOTE%
<h2>Option 1: configure Claude Code once</h2>
<p>On the machine that runs the proxy:</p>
<pre>claude-code-companion setup-claude</pre>
<p>It writes the settings below into the <code>"env"</code> object of <code>~/.claude/settings.json</code> (every other
setting is kept, and a timestamped backup is made first); <code>--dry-run</code> shows the result without writing it.
Then run <code>claude</code> as usual.</p>
<h2>Option 2: a launcher script</h2>
<p>The script sets the variables for one run of Claude Code and leaves your settings alone.</p>
<div>%TABS%</div>
%PANES%
<h2>Option 3: set the variables yourself</h2>
<pre id="env-block">%ENV%</pre>
<h2>Questions</h2>
<dl>
<dt>Claude Code still talks to another address.</dt>
<dd>Values in the <code>"env"</code> object of <code>~/.claude/settings.json</code> override the environment: run
<code>claude-code-companion setup-claude</code>, or remove those keys there.</dd>
<dt>Why API_TIMEOUT_MS=600000?</dt>
<dd>Long thinking pauses and slow upstreams must not make Claude Code give up before the proxy has failed over.</dd>
<dt>Why CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1?</dt>
<dd>It stops telemetry, error reporting and update checks, which the proxy does not serve.</dd>
<dt>Claude Code says "Not logged in" or shows 401 errors.</dt>
<dd>The proxy requires a client token and the one you set is not in <code>server.client_tokens</code>, or every
upstream endpoint rejected its credentials: the <a href="/admin/">admin</a>'s request log shows which.</dd>
<dt>Where do I add my API keys?</dt>
<dd>In the proxy, not in Claude Code: add endpoints in the <a href="/admin/">admin</a> or in <code>config.yaml</code>.</dd>
</dl>
<script>
(function(){
  var ua = navigator.userAgent, os = /Windows/.test(ua) ? 'bat' : /Mac OS X|Macintosh/.test(ua) ? 'command' : 'sh';
  function show(k){
    document.querySelectorAll('.tab').forEach(function(t){ t.classList.toggle('active', t.dataset.os === k); });
    document.querySelectorAll('.pane').forEach(function(p){ p.classList.toggle('active', p.id === 'pane-' + k); });
  }
  document.querySelectorAll('.tab').forEach(function(t){ t.addEventListener('click', function(){ show(t.dataset.os); }); });
  document.querySelectorAll('.copy').forEach(function(b){ b.addEventListener('click', function(){
    var text = document.getElementById(b.dataset.target).textContent;
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(function(){ b.textContent = 'Copied'; });
  }); });
  show(os);
})();
</script>
</body></html>
)HTML";
	page = Poco::replace(page, std::string("%VERSION%"), htmlEscape(version));
	page = Poco::replace(page, std::string("%BASE%"), htmlEscape(baseUrl));
	page = Poco::replace(page, std::string("%TOKEN_NOTE%"), tokenNote);
	page = Poco::replace(page, std::string("%TABS%"), tabs);
	page = Poco::replace(page, std::string("%PANES%"), panes);
	page = Poco::replace(page, std::string("%ENV%"), htmlEscape(envBlock));
	return page;
}

} // namespace ccc::http
