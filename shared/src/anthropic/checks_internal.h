#pragma once
#include <string_view>

#include <nlohmann/json.hpp>

#include "ccc/anthropic/stream_validator.h"
#include "ccc/anthropic/usage.h"

/// Checks shared by the stream and message validators (private to ccc_shared).
namespace ccc::anthropic::detail
{

/// A relay's placeholder usage: the OpenAI-shaped all-zero {"prompt_tokens":0,"completion_tokens":0,
/// "total_tokens":0} without Anthropic's own fields, or (at message_start only, `atStart`) Anthropic
/// fields that are all zero, cache included. Anthropic usage with any non-zero count is real.
bool isFakeUsage(const nlohmann::json & usage, bool atStart = true);

/// The first of input_tokens, output_tokens, cache_creation_input_tokens and
/// cache_read_input_tokens that is present, not null, and not a non-negative integer; nullptr if
/// none is.
const char * badUsageField(const nlohmann::json & usage);

/// Copies the integer fields present in `usage` into `into` (absent or non-integer ones are kept).
void mergeUsage(const nlohmann::json & usage, Usage & into);

/// Fills an UpstreamError check from an error object ({"type":"error","error":{...}} or {"error":...}).
void describeUpstreamError(const nlohmann::json & data, std::string_view raw, Check & c);

/// An integer member (signed or unsigned, fitting int64).
bool intMember(const nlohmann::json & obj, const char * key, int64_t & out);

} // namespace ccc::anthropic::detail
