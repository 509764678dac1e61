#pragma once
#include <string>

namespace ccc::http
{

/// The admin password's stored form (server.admin_password_hash):
///   pbkdf2$sha256$<iterations>$<salt, base64>$<derived key, base64>
/// PBKDF2-HMAC-SHA256 (OpenSSL), 16 random salt bytes, 32-byte key. The cost is stored in the
/// hash, so raising the default later keeps old hashes valid.
constexpr int kDefaultPasswordIterations = 310000;

/// A fresh salted hash of `password`.
std::string hashPassword(const std::string & password, int iterations = kDefaultPasswordIterations);

/// True when `stored` is a hash this build understands (see verifyPassword).
bool isSupportedPasswordHash(const std::string & stored);

/// Checks `password` against `stored` in constant time (for a given hash). False for a hash
/// this build does not understand. Also accepts scrypt$<N>$<r>$<p>$<salt>$<key> (base64), the
/// other form the configuration documents.
bool verifyPassword(const std::string & password, const std::string & stored);

/// `bytes` cryptographically random bytes, base64url without padding (session ids, CSRF tokens).
std::string randomToken(size_t bytes = 32);

/// Constant-time comparison of two strings (length differences leak, contents do not).
bool constantTimeEquals(const std::string & a, const std::string & b);

} // namespace ccc::http
