#include "config/ConfigStore.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>

#include "ccc/api/admin_config.h"
#include "ccc/config/validate.h"
#include "ccc/config/yaml_config.h"
#include "ccc/config/yaml_write.h"

namespace ccc
{

ConfigStore::ConfigStore(std::string path) : _path(std::move(path))
{
}

namespace
{
bool statFile(const std::string & path, int64_t & mtimeNs, int64_t & size, uint64_t & inode)
{
	struct stat st{};
	if (::stat(path.c_str(), &st) != 0)
		return false;
	mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
	size = static_cast<int64_t>(st.st_size);
	inode = static_cast<uint64_t>(st.st_ino);
	return true;
}
} // namespace

void ConfigStore::rememberFileState()
{
	statFile(_path, _loadedState.mtimeNs, _loadedState.size, _loadedState.inode);
}

void ConfigStore::publishLoaded(config::Config && cfg)
{
	if (_portOverride > 0)
		cfg.server.port = _portOverride;
	publish(std::make_shared<const config::Config>(std::move(cfg)));
}

bool ConfigStore::reloadIfChanged(config::Diagnostics & diags)
{
	FileState now;
	if (!statFile(_path, now.mtimeNs, now.size, now.inode))
		return false;
	{
		std::lock_guard<std::mutex> lock(_writeMutex); // applyEdit updates _loadedState
		if (now == _loadedState)
			return false;
	}
	ConfigPtr before = snapshot();
	diags = load();
	return snapshot() != before;
}

void ConfigStore::syncWithFile(bool forced)
{
	std::lock_guard<std::mutex> sync(_syncMutex);
	config::Diagnostics found;
	bool published = false;
	if (forced)
	{
		ConfigPtr before = snapshot();
		found = load();
		published = snapshot() != before;
	}
	else
		published = reloadIfChanged(found);
	if (found.empty() && !published)
		return;
	Poco::Logger & log = Poco::Logger::get("config");
	const std::string why = forced ? "reload requested (SIGHUP)" : "changed";
	const std::string text = config::formatDiagnostics(found, _path);
	if (config::hasErrors(found))
		log.error("config.yaml %s but is invalid; the running configuration stays:\n%s", why, text);
	else if (published)
		log.information("config.yaml %s: reloaded%s", why, text.empty() ? std::string() : "\n" + text);
}

config::Diagnostics ConfigStore::load()
{
	std::lock_guard<std::mutex> lock(_writeMutex);
	rememberFileState();
	std::ifstream in(_path, std::ios::binary);
	if (!in)
		return {{config::Severity::Error, "", "cannot read " + _path + ": " + std::strerror(errno)}};
	std::stringstream buf;
	buf << in.rdbuf();
	config::YamlLoadResult r = config::loadConfigYaml(buf.str());
	if (!config::hasErrors(r.diagnostics))
	{
		rememberText(buf.str(), r.config);
		// A running service keeps listening where it started: host and port need a restart.
		ConfigPtr current = snapshot();
		if (current)
		{
			r.config.server.host = current->server.host;
			r.config.server.port = current->server.port;
		}
		publishLoaded(std::move(r.config));
	}
	return r.diagnostics;
}

bool ConfigStore::patchScalars(const std::vector<std::pair<std::string, std::string>> & edits, std::string & error)
{
	std::lock_guard<std::mutex> lock(_writeMutex);
	std::ifstream in(_path, std::ios::binary);
	if (!in)
	{
		error = "cannot read " + _path;
		return false;
	}
	std::stringstream buf;
	buf << in.rdbuf();
	std::string text = buf.str();
	if (!config::patchYamlScalars(text, edits, error))
		return false;
	config::YamlLoadResult r = config::loadConfigYaml(text);
	if (config::hasErrors(r.diagnostics))
	{
		error = "the patched configuration would be invalid";
		return false;
	}
	try
	{
		atomicWrite(_path, text, true);
	}
	catch (const Poco::Exception & e)
	{
		error = e.displayText();
		return false;
	}
	rememberFileState();
	rememberText(text, r.config);
	ConfigPtr current = snapshot();
	if (current)
	{
		r.config.server.port = current->server.port;
		r.config.server.host = current->server.host;
	}
	publishLoaded(std::move(r.config));
	return true;
}

void ConfigStore::rememberText(const std::string & text, const config::Config & fileCfg)
{
	std::lock_guard<std::mutex> lock(_stateMutex);
	_version = api::configVersion(text);
	_fileConfig = std::make_shared<const config::Config>(fileCfg);
}

std::string ConfigStore::version() const
{
	std::lock_guard<std::mutex> lock(_stateMutex);
	return _version;
}

ConfigPtr ConfigStore::fileConfig(std::string * version) const
{
	std::lock_guard<std::mutex> lock(_stateMutex);
	if (version)
		*version = _version;
	return _fileConfig;
}

ConfigStore::EditResult ConfigStore::applyEdit(const std::string & baseVersion, const Edit & edit)
{
	EditResult res;
	std::lock_guard<std::mutex> lock(_writeMutex);
	std::ifstream in(_path, std::ios::binary);
	if (!in)
	{
		res.status = 500;
		res.error = "cannot read " + _path + ": " + std::strerror(errno);
		return res;
	}
	std::stringstream buf;
	buf << in.rdbuf();
	const std::string text = buf.str();
	res.version = api::configVersion(text);
	if (baseVersion.empty())
	{
		res.status = 428;
		res.error = "the change must name the config version it is based on (If-Match header or \"version\")";
		return res;
	}
	config::YamlLoadResult r = config::loadConfigYaml(text);
	if (config::hasErrors(r.diagnostics))
	{
		// Overwriting would silently discard the user's unfinished hand edit.
		res.status = 409;
		res.error = "config.yaml on disk is invalid (edited by hand?); fix it first: " + api::firstError(r.diagnostics).error;
		return res;
	}
	if (baseVersion != res.version)
	{
		res.status = 409;
		res.error = "the configuration changed since version " + baseVersion + " (now " + res.version + "); reload and retry";
		return res;
	}
	auto before = std::make_shared<const config::Config>(r.config);
	config::Config next = r.config;
	EditError err;
	if (!edit(next, err))
	{
		res.status = err.status;
		res.error = err.message;
		res.path = err.path;
		return res;
	}
	config::Diagnostics diags = config::validate(next);
	if (config::hasErrors(diags))
	{
		api::ApiError e = api::firstError(diags);
		res.status = 400;
		res.error = e.error;
		res.path = e.path;
		return res;
	}
	std::string newText;
	std::string error;
	if (!config::rewriteConfigYaml(text, *before, next, newText, error))
	{
		res.status = 500;
		res.error = error;
		return res;
	}
	if (newText != text)
	{
		try
		{
			atomicWrite(_path, newText, true);
		}
		catch (const Poco::Exception & e)
		{
			res.status = 500;
			res.error = e.displayText();
			return res;
		}
	}
	rememberFileState();
	rememberText(newText, next);
	res.version = api::configVersion(newText);
	res.restartRequired = api::restartRequired(*before, next);
	res.before = before;
	res.after = std::make_shared<const config::Config>(next);
	ConfigPtr current = snapshot();
	config::Config running = next;
	if (current)
	{
		running.server.host = current->server.host;
		running.server.port = current->server.port;
	}
	publishLoaded(std::move(running));
	return res;
}

bool ConfigStore::writeDefaultIfMissing()
{
	if (Poco::File(_path).exists())
		return false;
	Poco::Path parent = Poco::Path(_path).parent();
	if (!parent.toString().empty())
		Poco::File(parent).createDirectories();
	atomicWrite(_path, config::defaultConfigYaml(), false);
	return true;
}

void ConfigStore::atomicWrite(const std::string & path, const std::string & content, bool keepBackup)
{
	const std::string tmp = path + ".tmp." + std::to_string(::getpid());
	int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		throw Poco::FileException("cannot create " + tmp, std::strerror(errno));
	size_t done = 0;
	while (done < content.size())
	{
		ssize_t n = ::write(fd, content.data() + done, content.size() - done);
		if (n < 0)
		{
			if (errno == EINTR)
				continue;
			int err = errno;
			::close(fd);
			::unlink(tmp.c_str());
			throw Poco::WriteFileException(tmp, std::strerror(err));
		}
		done += static_cast<size_t>(n);
	}
	// The data must be on disk before the rename makes it the config, or a crash could leave
	// an empty config.yaml behind.
	if (::fsync(fd) != 0 || ::close(fd) != 0)
	{
		int err = errno;
		::unlink(tmp.c_str());
		throw Poco::WriteFileException(tmp, std::strerror(err));
	}
	if (keepBackup && Poco::File(path).exists())
	{
		const std::string backup = path + ".backup";
		// A hard link keeps the old file reachable without a window where `path` is missing.
		::unlink(backup.c_str());
		if (::link(path.c_str(), backup.c_str()) != 0)
			Poco::File(path).copyTo(backup);
	}
	if (::rename(tmp.c_str(), path.c_str()) != 0)
	{
		int err = errno;
		::unlink(tmp.c_str());
		throw Poco::FileException("cannot replace " + path, std::strerror(err));
	}
	std::string dir = Poco::Path(path).makeAbsolute().parent().toString();
	int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
	{
		::fsync(dfd);
		::close(dfd);
	}
}

} // namespace ccc
