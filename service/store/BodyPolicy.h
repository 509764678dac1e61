#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ccc/api/log_types.h"
#include "ccc/config/model.h"
#include "store/LogStore.h"

/// What happens to headers and bodies before they reach the store: redaction of credentials,
/// the none / truncated / full policy, and the compression used at rest.
namespace ccc::store
{

/// Secret strings shorter than this are ignored: replacing very short strings everywhere would
/// mangle bodies, and real credentials are far longer.
inline constexpr size_t kMinSecretLength = 8;

/// Header names (lower case) whose values are always redacted.
bool isSensitiveHeader(const std::string & name);

/// Replaces every occurrence of every secret in `text` with kRedacted. When `cutAtEnd` (the text
/// is a prefix of something longer), a trailing partial secret (its first 4+ bytes) is redacted
/// too. Returns true when anything was replaced.
bool redactSecrets(std::string & text, const std::vector<std::string> & secrets, bool cutAtEnd = false);

/// Sensitive headers get kRedacted as their value (an auth scheme word such as "Bearer " is kept);
/// every other value has the secrets replaced.
void redactHeaders(api::HeaderList & headers, const std::vector<std::string> & secrets);

/// The longest prefix of `s` no longer than `limit` that does not split a UTF-8 sequence.
size_t utf8SafeCut(const std::string & s, size_t limit);
/// Drops an incomplete UTF-8 sequence at the very end of `s` (a capture cut mid-character).
void trimIncompleteUtf8Tail(std::string & s);

/// Applies redaction and the policy ("none" | "truncated" | "full"; anything else = full) to one
/// body in place. truncated keeps truncatedBytes, full keeps at most maxBytes; a body that is not
/// kept whole (by us or by the proxy's capture) ends at a UTF-8 boundary followed by
/// kTruncationMarker. Returns what the store should know about it.
BodyInfo applyBodyPolicy(api::CapturedBody & body, const std::string & policy, int64_t truncatedBytes, int64_t maxBytes,
	const std::vector<std::string> & secrets);

/// zlib (deflate with zlib header). inflate() throws StoreError on corrupt input.
std::string deflateBytes(const std::string & in, int level = 1);
std::string inflateBytes(const std::string & in);
/// zstd, the codec the store writes. decompress() throws StoreError on corrupt input.
std::string zstdCompress(const std::string & in, int level = 1);
/// Lowers the calling thread's CPU priority (nice 10 on Linux; nothing elsewhere): the log
/// writer's threads, so that they never take CPU time from requests.
void lowerThreadPriority();
std::string zstdDecompress(const std::string & in);

/// All secret strings of a config worth redacting from logs: endpoint auth values, OAuth access
/// and refresh tokens, proxy passwords, client tokens.
std::vector<std::string> collectSecrets(const config::Config & cfg);

} // namespace ccc::store
