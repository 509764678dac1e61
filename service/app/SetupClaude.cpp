#include "app/SetupClaude.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <nlohmann/json.hpp>

#include "ccc/config/yaml_config.h"
#include "http/ClaudeSetup.h"

namespace ccc::app
{

namespace
{

using json = nlohmann::ordered_json;

bool readFile(const std::string & path, std::string & out)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		return false;
	std::stringstream s;
	s << in.rdbuf();
	out = s.str();
	return true;
}

/// Writes `content` next to `path`, fsyncs and renames it over `path` with mode `mode`.
bool writeAtomically(const std::string & path, const std::string & content, mode_t mode, std::string & error)
{
	const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
	int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
	{
		error = "cannot create " + tmp + ": " + std::strerror(errno);
		return false;
	}
	::fchmod(fd, mode);
	size_t done = 0;
	while (done < content.size())
	{
		ssize_t n = ::write(fd, content.data() + done, content.size() - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
		{
			error = "cannot write " + tmp + ": " + std::strerror(errno);
			::close(fd);
			::unlink(tmp.c_str());
			return false;
		}
		done += static_cast<size_t>(n);
	}
	if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0)
	{
		error = "cannot replace " + path + ": " + std::strerror(errno);
		::unlink(tmp.c_str());
		return false;
	}
	return true;
}

std::string timestamp()
{
	std::time_t now = std::time(nullptr);
	std::tm tm{};
	::localtime_r(&now, &tm);
	char buf[32];
	std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
	return buf;
}

const char * const kUsage = "usage: claude-code-companion setup-claude [--dry-run] [--config PATH] [--url URL] [--token TOKEN]\n"
							"Writes ANTHROPIC_BASE_URL, ANTHROPIC_AUTH_TOKEN, API_TIMEOUT_MS and\n"
							"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC into the \"env\" of ~/.claude/settings.json\n"
							"(other settings kept, timestamped backup first). --dry-run prints the result only.\n";

} // namespace

bool isSetupClaudeCommand(int argc, char ** argv, std::vector<std::string> & rest)
{
	bool found = false;
	rest.clear();
	for (int i = 1; i < argc; ++i)
	{
		const std::string a = argv[i];
		if (!found && (a == "--config" || a == "-c" || a == "--port" || a == "-p") && i + 1 < argc)
		{
			rest.push_back(a);
			rest.push_back(argv[++i]);
			continue;
		}
		if (!found && !a.empty() && a[0] != '-')
		{
			if (a != "setup-claude")
				return false;
			found = true;
			continue;
		}
		rest.push_back(a);
	}
	return found;
}

int setupClaude(const std::vector<std::string> & args, const std::string & startDir, std::ostream & out, std::ostream & err)
{
	bool dryRun = false;
	std::string configPath = "config.yaml", url, token;
	for (size_t i = 0; i < args.size(); ++i)
	{
		const std::string & a = args[i];
		auto value = [&](const std::string & name, std::string & target) {
			if (a == name && i + 1 < args.size())
			{
				target = args[++i];
				return true;
			}
			if (a.rfind(name + "=", 0) == 0)
			{
				target = a.substr(name.size() + 1);
				return true;
			}
			return false;
		};
		if (a == "--dry-run" || a == "-n")
			dryRun = true;
		else if (a == "--help" || a == "-h")
		{
			out << kUsage;
			return 0;
		}
		else if (value("--config", configPath) || value("-c", configPath) || value("--url", url) || value("--token", token))
			continue;
		else if (a == "--port" || a == "-p")
			++i; // accepted for symmetry with the service; the config's port is used unless --url
		else
		{
			err << "setup-claude: unknown argument " << a << "\n" << kUsage;
			return 64;
		}
	}

	// Base URL and token from the configuration, unless given.
	Poco::Path cfgPath(configPath);
	if (cfgPath.isRelative())
		cfgPath = Poco::Path(startDir).makeDirectory().resolve(cfgPath);
	std::string cfgText;
	config::Config cfg;
	const bool haveConfig = readFile(cfgPath.toString(), cfgText);
	if (haveConfig)
	{
		config::YamlLoadResult r = config::loadConfigYaml(cfgText);
		if (r.parsed)
			cfg = r.config;
	}
	if (url.empty())
	{
		url = http::baseUrlForListen(cfg.server.host, cfg.server.port);
		if (!haveConfig)
			err << "setup-claude: no " << cfgPath.toString() << "; using the default address " << url << " (see --config, --url)" << std::endl;
	}
	while (!url.empty() && url.back() == '/')
		url.pop_back();
	if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
	{
		err << "setup-claude: --url must start with http:// or https://" << std::endl;
		return 64;
	}
	if (token.empty())
		token = cfg.server.client_tokens.empty() ? http::kAnyToken : cfg.server.client_tokens.front();

	const char * home = std::getenv("HOME");
	if (!home || !*home)
	{
		err << "setup-claude: HOME is not set; cannot find ~/.claude/settings.json" << std::endl;
		return 1;
	}
	const std::string dir = std::string(home) + "/.claude";
	const std::string path = dir + "/settings.json";

	std::string original;
	const bool exists = readFile(path, original);
	json settings = json::object();
	if (exists && original.find_first_not_of(" \t\r\n") != std::string::npos)
	{
		settings = json::parse(original, nullptr, false);
		if (settings.is_discarded() || !settings.is_object())
		{
			err << "setup-claude: " << path << " is not a JSON object; it was left as it is (fix or move it, then run again)" << std::endl;
			return 1;
		}
	}
	if (settings.contains("env") && !settings["env"].is_object())
	{
		err << "setup-claude: \"env\" in " << path << " is not an object; it was left as it is" << std::endl;
		return 1;
	}
	json & env = settings["env"];
	if (env.is_null())
		env = json::object();
	bool changed = !exists;
	for (const auto & [k, v] : http::claudeEnv(url, token))
	{
		if (!env.contains(k) || env[k] != v)
			changed = true;
		env[k] = v;
	}
	const std::string text = settings.dump(2) + "\n";
	if (dryRun)
	{
		out << text;
		err << "setup-claude: dry run; " << path << (changed ? " would be written" : " is already up to date") << std::endl;
		return 0;
	}
	if (!changed)
	{
		out << path << " already points Claude Code at " << url << "; nothing to do" << std::endl;
		return 0;
	}

	mode_t mode = 0600;
	std::string backup;
	if (exists)
	{
		struct stat st{};
		if (::stat(path.c_str(), &st) == 0)
			mode = st.st_mode & 07777;
		backup = path + ".backup-" + timestamp();
		for (int n = 2; Poco::File(backup).exists(); ++n)
			backup = path + ".backup-" + timestamp() + "-" + std::to_string(n);
		std::string error;
		if (!writeAtomically(backup, original, mode, error))
		{
			err << "setup-claude: " << error << "; nothing changed" << std::endl;
			return 1;
		}
	}
	else
	{
		try
		{
			Poco::File(dir).createDirectories();
		}
		catch (const Poco::Exception & e)
		{
			err << "setup-claude: cannot create " << dir << ": " << e.displayText() << std::endl;
			return 1;
		}
	}
	std::string error;
	if (!writeAtomically(path, text, mode, error))
	{
		err << "setup-claude: " << error << std::endl;
		return 1;
	}
	out << "Claude Code now uses " << url << " (" << path << " \"env\" updated";
	if (!backup.empty())
		out << "; previous file saved as " << backup;
	out << ")." << std::endl;
	if (env.contains("ANTHROPIC_API_KEY"))
		out << "note: \"env\" also sets ANTHROPIC_API_KEY; Claude Code sends it as x-api-key, which this proxy accepts too" << std::endl;
	return 0;
}

} // namespace ccc::app
