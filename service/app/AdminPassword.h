#pragma once
#include <iosfwd>
#include <string>

namespace ccc::app
{

/// `claude-code-companion --set-admin-password [--config PATH]`: reads a new admin password
/// (from the terminal twice without echo, or one line from a pipe), hashes it (PBKDF2-HMAC-SHA256,
/// see http/PasswordHash.h) and stores the hash in server.admin_password_hash of config.yaml
/// (atomically, comments kept, previous file kept as config.yaml.backup; the default config is
/// written first when there is none). A running service picks the change up with its config
/// reload. Returns a process exit code.
int setAdminPassword(const std::string & configPath, std::istream & in, std::ostream & out, std::ostream & err);

/// Sets server.admin_password_hash in YAML text: replaces the value when the key exists, else
/// inserts the key under `server:` (added at the end when there is no server section). False
/// with `error` when the text cannot be edited that way (e.g. a flow-style server mapping).
bool setPasswordHashInYaml(std::string & text, const std::string & hash, std::string & error);

} // namespace ccc::app
