#pragma once
#include <string>
#include <string_view>

namespace ccc::routing
{

/// The one wildcard language of the project (model rewrite rules, taggers, admin filters):
///   `*`      any run of characters, including none and including '/'
///   `?`      exactly one character (one UTF-8 code point)
///   `[abc]`, `[a-z]`, `[!a-z]` / `[^a-z]`  one character from (or not from) a class
///   `\x`     the character x literally
/// Matching is anchored at both ends and case-sensitive.
bool globMatch(std::string_view pattern, std::string_view text);

/// Empty when the pattern is well formed, otherwise why not (e.g. "unterminated [").
std::string globError(std::string_view pattern);

} // namespace ccc::routing
