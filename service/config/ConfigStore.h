#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ccc/config/diagnostic.h"
#include "ccc/config/model.h"

namespace ccc
{

using ConfigPtr = std::shared_ptr<const config::Config>;

/// Owns config.yaml: loads and validates it, publishes an immutable snapshot that request
/// threads read without locks (a request keeps the snapshot it started with), and writes the
/// file atomically. Writers serialise on an internal mutex.
class ConfigStore
{
public:
	explicit ConfigStore(std::string path);

	const std::string & path() const { return _path; }

	/// Loads the file; on success publishes it. Returns the diagnostics either way. A missing file
	/// is an Error here; the application writes the default first (writeDefaultIfMissing).
	config::Diagnostics load();

	/// A port given on the command line; applied to every snapshot loaded from the file.
	void setPortOverride(int port) { _portOverride = port; }

	/// The watcher's step, also run by admin reads so that what they show (and its version) is
	/// never older than the file: reloads when the file changed (always when `forced`), logs
	/// the outcome once (an invalid edit as an error; the running snapshot then stays).
	/// Serialised, so two callers never load or log the same change twice.
	void syncWithFile(bool forced = false);

	/// Writes the commented default config when no file exists. Returns true if it wrote one.
	bool writeDefaultIfMissing();

	/// The current snapshot (never null after a successful load()).
	ConfigPtr snapshot() const { return std::atomic_load(&_current); }

	/// Replaces the snapshot (tests, live edits). The file is not touched.
	void publish(ConfigPtr next) { std::atomic_store(&_current, std::move(next)); }

	/// Replaces scalar values in config.yaml (keeping comments and everything else), validates the
	/// result, writes it atomically and publishes it. False (file untouched) with `error` otherwise.
	bool patchScalars(const std::vector<std::pair<std::string, std::string>> & edits, std::string & error);

	/// The version token (api::configVersion) of the file text last loaded or written by this store.
	std::string version() const;

	/// The config exactly as the file says (no port override, host/port as written): what the
	/// admin edits and what a restart would use. Never null after a successful load(). With
	/// `version`, also the matching version token, read together (a client never gets one
	/// config with another config's version).
	ConfigPtr fileConfig(std::string * version = nullptr) const;

	/// A refusal from an edit function: HTTP status, message and key path (validation errors).
	struct EditError
	{
		int status = 400;
		std::string message;
		std::string path;
	};
	using Edit = std::function<bool(config::Config & cfg, EditError & error)>;

	struct EditResult
	{
		int status = 200;             ///< 200, or the HTTP status of the refusal (400, 404, 409, 428, 500)
		std::string error;
		std::string path;             ///< key path of a validation error
		std::string version;          ///< the version now (after the write, or the current one on 409)
		bool restartRequired = false; ///< host or port changed: the running server keeps its socket
		ConfigPtr before;             ///< file config the edit started from (null on 409/428)
		ConfigPtr after;              ///< file config written (null unless 200)
	};

	/// A structured edit of config.yaml: when `baseVersion` is the file's current version, runs
	/// `edit` on the file's config, validates the result (an Error refuses it: 400 with the key path,
	/// file untouched), writes it back keeping the user's text where possible (rewriteConfigYaml),
	/// atomically with a .backup, and publishes it (host/port stay until restart). A stale or empty
	/// version is refused (409 / 428) with the current version; so is an invalid hand edit on disk.
	EditResult applyEdit(const std::string & baseVersion, const Edit & edit);

	/// Writes `content` to `path` atomically: temporary file in the same directory, fsync, rename,
	/// fsync of the directory. The previous file is kept as `path + ".backup"` when keepBackup.
	/// Throws Poco::Exception on failure; the old file is then untouched.
	static void atomicWrite(const std::string & path, const std::string & content, bool keepBackup);

private:
	/// Reloads the file if it changed on disk since the last load (mtime, size or inode). An
	/// invalid edit is refused: the running snapshot stays and the findings are returned.
	/// Returns true when a new snapshot was published. (syncWithFile's step.)
	bool reloadIfChanged(config::Diagnostics & diags);

	/// Publishes a freshly loaded config with the run-time overrides applied.
	void publishLoaded(config::Config && cfg);
	void rememberFileState();

	void rememberText(const std::string & text, const config::Config & fileCfg);

	std::string _path;
	std::shared_ptr<const config::Config> _current;
	mutable std::mutex _stateMutex; ///< guards _version and _fileConfig
	std::string _version;
	ConfigPtr _fileConfig;
	int _portOverride = 0;
	struct FileState
	{
		int64_t mtimeNs = 0;
		int64_t size = -1;
		uint64_t inode = 0;
		bool operator==(const FileState & o) const { return mtimeNs == o.mtimeNs && size == o.size && inode == o.inode; }
	} _loadedState;
	std::mutex _writeMutex;
	std::mutex _syncMutex; ///< one syncWithFile at a time
};

} // namespace ccc
