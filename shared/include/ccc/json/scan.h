#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Byte-level JSON scanning and surgical editing, without a DOM. The proxy forwards request bodies
/// byte for byte (upstream prompt caching depends on identical bytes); when a model rewrite or a
/// parameter override must change a field, only that field's bytes change and key order is kept.
namespace ccc::json
{

struct Span
{
	size_t begin = 0; ///< offset of the first byte of the value
	size_t end = 0;   ///< one past the last byte
	std::string_view of(std::string_view doc) const { return doc.substr(begin, end - begin); }
};

struct Member
{
	std::string key;  ///< unescaped key
	Span keySpan;     ///< the key including its quotes
	Span valueSpan;   ///< the value
};

/// Validates that `doc` is exactly one JSON object (whitespace around allowed) and lists its
/// top-level members in document order. Returns false on any syntax error (strict RFC 8259:
/// no trailing commas, no comments, control characters in strings rejected, UTF-8 not checked).
bool scanObject(std::string_view doc, std::vector<Member> & members);

/// Same, for the members of the object value at `span` inside `doc` (offsets stay relative to doc).
bool scanObjectAt(std::string_view doc, Span span, std::vector<Member> & members);

/// Elements of the array value at `span` inside `doc`.
bool scanArrayAt(std::string_view doc, Span span, std::vector<Span> & elements);

/// Finds a value by path: `model`, `metadata.user_id`, `messages[0].content`, `messages[-1].role`
/// (negative indexes count from the end), `a.b[2][1].c`. Keys containing dots can be quoted:
/// `headers."x.y"`. nullopt when absent or when the path does not fit the document.
std::optional<Span> findPath(std::string_view doc, std::string_view path);

/// Decodes a JSON string value's span (with quotes) into UTF-8; nullopt if not a string.
std::optional<std::string> decodeString(std::string_view doc, Span span);

/// Encodes UTF-8 text as a JSON string literal with quotes (escaping ", \\ and control characters).
std::string quote(std::string_view text);

/// Replaces, removes or appends top-level members of a JSON object, touching no other byte.
/// Edits are applied in the order given; setting an existing key replaces its value in place;
/// setting a new key appends it before the closing brace; removing drops the member and one
/// adjacent comma.
class TopLevelEditor
{
public:
	/// `rawJson` must be a valid JSON value (the caller validates or quotes it).
	void set(std::string key, std::string rawJson);
	void remove(std::string key);
	bool empty() const { return _edits.empty(); }

	/// Applies the edits to `doc` (which must be a JSON object); false if `doc` is not one.
	bool apply(std::string_view doc, std::string & out) const;

private:
	struct Edit
	{
		std::string key;
		std::optional<std::string> value; ///< nullopt = remove
	};
	std::vector<Edit> _edits;
};

} // namespace ccc::json
