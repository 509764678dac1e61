#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "ccc/config/model.h"
#include "store/LogStore.h"

namespace ccc::store
{

/// The debug export of one request as a ZIP archive (the bytes), or nullopt when the store has no
/// request with that id. Layout:
///   README.txt
///   meta.json                          request summary (ids, times, status, outcome, usage, cost, ...)
///   request/client_request_headers.txt   "Name: value" lines (as stored: credentials redacted)
///   request/client_request_body.txt
///   request/client_response_headers.txt
///   request/client_response_body.txt
///   attempts/attempt_<n>/meta.json     endpoint, url, status, outcome, error, timings, body flags
///   attempts/attempt_<n>/{request,response}_{headers,body}.txt
///   endpoints/endpoint_<id>.json       config of every endpoint involved (when cfg is given), every
///                                      secret replaced by "[REDACTED]"
///   taggers/tagger_<name>.json         taggers whose tag the request carries (when cfg is given)
std::optional<std::string> exportRequestZip(LogStore & store, const std::string & requestId, const config::Config * cfg,
	int64_t nowMs);

/// "debug_<id reduced to [A-Za-z0-9_-], at most 50 chars>_<YYYYMMDD_HHMMSS UTC>.zip"
std::string exportZipFileName(const std::string & requestId, int64_t nowMs);

} // namespace ccc::store
