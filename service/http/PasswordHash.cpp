#include "http/PasswordHash.h"

#include <cstdint>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace ccc::http
{

namespace
{

constexpr const char * kStd = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr const char * kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64(const unsigned char * data, size_t n, const char * alphabet)
{
	std::string out;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; ++i)
	{
		acc = (acc << 8) | data[i];
		bits += 8;
		while (bits >= 6)
		{
			bits -= 6;
			out += alphabet[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		out += alphabet[(acc << (6 - bits)) & 63];
	return out;
}

/// Decodes standard or url-safe base64, padded or not; false on any other character.
bool unbase64(const std::string & text, std::vector<unsigned char> & out)
{
	out.clear();
	uint32_t acc = 0;
	int bits = 0;
	for (char c : text)
	{
		int v;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else if (c == '=')
			break;
		else
			return false;
		acc = (acc << 6) | static_cast<uint32_t>(v);
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			out.push_back(static_cast<unsigned char>((acc >> bits) & 0xff));
		}
	}
	return !out.empty();
}

std::vector<std::string> split(const std::string & s, char sep)
{
	std::vector<std::string> parts;
	size_t start = 0;
	for (;;)
	{
		size_t p = s.find(sep, start);
		parts.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
		if (p == std::string::npos)
			return parts;
		start = p + 1;
	}
}

bool parseInt(const std::string & s, uint64_t & out)
{
	if (s.empty() || s.size() > 12)
		return false;
	out = 0;
	for (char c : s)
	{
		if (c < '0' || c > '9')
			return false;
		out = out * 10 + static_cast<uint64_t>(c - '0');
	}
	return true;
}

struct Parsed
{
	enum class Kind
	{
		None,
		Pbkdf2,
		Scrypt
	} kind = Kind::None;
	uint64_t iterations = 0, n = 0, r = 0, p = 0;
	std::vector<unsigned char> salt, key;
};

Parsed parse(const std::string & stored)
{
	Parsed out;
	const auto parts = split(stored, '$');
	if (parts.size() == 5 && parts[0] == "pbkdf2" && parts[1] == "sha256" && parseInt(parts[2], out.iterations) && out.iterations >= 1000
		&& out.iterations <= 100000000 && unbase64(parts[3], out.salt) && unbase64(parts[4], out.key) && out.key.size() >= 16)
		out.kind = Parsed::Kind::Pbkdf2;
	else if (parts.size() == 6 && parts[0] == "scrypt" && parseInt(parts[1], out.n) && parseInt(parts[2], out.r) && parseInt(parts[3], out.p)
		&& out.n >= 2 && out.r >= 1 && out.p >= 1 && unbase64(parts[4], out.salt) && unbase64(parts[5], out.key) && out.key.size() >= 16)
		out.kind = Parsed::Kind::Scrypt;
	return out;
}

} // namespace

std::string randomToken(size_t bytes)
{
	std::vector<unsigned char> buf(bytes);
	if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1)
		throw std::runtime_error("no random bytes available");
	return base64(buf.data(), buf.size(), kUrl);
}

std::string hashPassword(const std::string & password, int iterations)
{
	unsigned char salt[16];
	if (RAND_bytes(salt, sizeof salt) != 1)
		throw std::runtime_error("no random bytes available");
	unsigned char key[32];
	if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt, sizeof salt, iterations, EVP_sha256(), sizeof key, key) != 1)
		throw std::runtime_error("PBKDF2 failed");
	return "pbkdf2$sha256$" + std::to_string(iterations) + "$" + base64(salt, sizeof salt, kStd) + "$" + base64(key, sizeof key, kStd);
}

bool isSupportedPasswordHash(const std::string & stored)
{
	return parse(stored).kind != Parsed::Kind::None;
}

bool verifyPassword(const std::string & password, const std::string & stored)
{
	const Parsed h = parse(stored);
	std::vector<unsigned char> key(h.key.size());
	if (h.kind == Parsed::Kind::Pbkdf2)
	{
		if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), h.salt.data(), static_cast<int>(h.salt.size()),
				static_cast<int>(h.iterations), EVP_sha256(), static_cast<int>(key.size()), key.data())
			!= 1)
			return false;
	}
	else if (h.kind == Parsed::Kind::Scrypt)
	{
		// Memory bound: 128 * N * r bytes; allow up to 1 GiB.
		if (EVP_PBE_scrypt(password.data(), password.size(), h.salt.data(), h.salt.size(), h.n, h.r, h.p, 1024ULL * 1024 * 1024,
				key.data(), key.size())
			!= 1)
			return false;
	}
	else
		return false;
	return CRYPTO_memcmp(key.data(), h.key.data(), key.size()) == 0;
}

bool constantTimeEquals(const std::string & a, const std::string & b)
{
	if (a.size() != b.size())
		return false;
	return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace ccc::http
