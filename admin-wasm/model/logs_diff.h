#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

/// A small line diff (Myers' O((N+M)D) algorithm after trimming the common prefix and suffix), for
/// showing what the proxy changed between two bodies: sent upstream vs the client's original
/// (model rewrites, OpenAI conversion), returned to the client vs received from upstream.
namespace ccc::admin
{

struct DiffLine
{
	enum class Op { Same, Added, Removed };
	Op op = Op::Same;
	std::string text;
};

struct LineDiff
{
	std::vector<DiffLine> lines; ///< the whole of both texts in order: Removed lines of `a`, Added lines of `b`
	size_t added = 0;
	size_t removed = 0;
	/// The texts differ in more than the edit bound: shown as "all of a removed, all of b added".
	bool gave_up = false;
	bool identical() const { return added == 0 && removed == 0; }
};

/// Splits on '\n' (a trailing "\r" is dropped from each line; a final newline adds no empty line).
std::vector<std::string_view> splitLines(std::string_view text);

/// The shortest edit script from `a` to `b` as lines. When more than `maxEdits` lines differ the
/// result has gave_up set (cost stays bounded for unrelated 100 KB bodies).
LineDiff diffLines(std::string_view a, std::string_view b, size_t maxEdits = 1000);

/// The text a diff should compare: a JSON document re-indented (2 spaces, keys in their order) so
/// one-line bodies diff line by line; anything else unchanged.
std::string diffableText(std::string_view body);

} // namespace ccc::admin
