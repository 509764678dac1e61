#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace ccc::anthropic
{

/// Removes from a Messages API request body (messages[*].content arrays) every `thinking` block
/// whose `signature` is missing, empty or not a string, and every `redacted_thinking` block whose
/// `data` (its encrypted payload, the signature's counterpart) is missing or empty. Such blocks come
/// from OpenAI-compatible endpoints' reasoning, converted without an Anthropic signature, and an
/// Anthropic endpoint rejects a request that carries them in its history.
///
/// Only those blocks' bytes and one adjacent comma each (with the whitespace between) are removed;
/// every other byte of the body is kept, so prompt caching upstream still matches. Signed blocks are
/// kept. Returns the number of blocks removed; `out` is written only when that is > 0. A body that is
/// not a JSON object, or has no messages array, is left alone (0).
size_t stripUnsignedThinking(std::string_view body, std::string & out);

/// Cheap pre-check: false when `body` cannot hold a thinking or redacted_thinking block (no such
/// string value appears), so the caller can skip the scan.
bool mayHoldThinkingBlocks(std::string_view body);

} // namespace ccc::anthropic
