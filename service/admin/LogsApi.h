#pragma once
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "core/ServiceContext.h"

namespace ccc::admin
{

/// The logs, dashboard and live half of /admin/api (docs/ADMIN_API.md, "Logs and dashboard
/// routes"); request and response types are in ccc/api/admin_logs.h. Returns null for paths it
/// does not serve. Routes:
///   GET  /admin/api/logs                     list (filters, newest first, keyset pagination)
///   GET  /admin/api/logs/stats               store backend, size and write-path counters
///   GET  /admin/api/logs/<request_id>        detail with every attempt
///   GET  /admin/api/logs/<request_id>/export debug ZIP (Content-Disposition: attachment)
///   POST /admin/api/logs/cleanup             {"days": 0..365}; 0 deletes everything
///   GET  /admin/api/dashboard                totals, endpoint cards, usage per endpoint and model
///   GET  /admin/api/timeseries               requests, errors, latency p50/p95, tokens per bucket
///   POST /admin/api/endpoints/test           {"endpoint": id or name}: one minimal request, real path
///   POST /admin/api/endpoints/<id|name>/test the same
///   GET  /admin/api/events                   text/event-stream of requests and breaker changes
/// Errors: {"error": message, "path": offending parameter or key} with 400, 404, or 503 when the
/// log store (or the engine) is not available.
Poco::Net::HTTPRequestHandler * makeLogsApiHandler(const Poco::Net::HTTPServerRequest & request, const ServiceContext & ctx);

} // namespace ccc::admin
