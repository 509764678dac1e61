#pragma once
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "model/api_client.h"
#include "model/resource.h"

/// Loading a Resource<T> from the service, the way every model does it: one place decides how an
/// answer settles the resource. (Kept apart from resource.h, which login_state.h and so
/// api_client.h include.)
namespace ccc::admin
{

/// The answer handler of one load into `resource`. When the answer arrives:
/// - nothing at all happens once `alive` has expired (the owning model is gone, and `resource`,
///   usually its member, with it);
/// - a failed request fails `resource` with the ApiResult's error;
/// - otherwise `parse(body, value, error)` reads the body: true succeeds `resource` with `value`,
///   false fails it with `error` (which parse must set; it starts empty);
/// - then `done(loaded)` runs, after failures too (`loaded`: the resource now holds this answer),
///   e.g. to revalidate a form against the new data or to load again what changed meanwhile.
/// The caller starts the load with resource.begin() (and decides what to do when it is in flight).
template <class T, class Parse, class Done>
std::function<void(ApiResult)> settleInto(Resource<T> & resource, std::weak_ptr<bool> alive, Parse parse, Done done)
{
	return [&resource, alive = std::move(alive), parse = std::move(parse), done = std::move(done)](ApiResult result) {
		if (alive.expired())
			return;
		T value{};
		std::string error = result.error;
		const bool loaded = result.ok && parse(result.body, value, error);
		if (loaded)
			resource.succeed(std::move(value));
		else
			resource.fail(std::move(error));
		done(loaded);
	};
}

template <class T, class Parse>
std::function<void(ApiResult)> settleInto(Resource<T> & resource, std::weak_ptr<bool> alive, Parse parse)
{
	return settleInto(resource, std::move(alive), std::move(parse), [](bool) {});
}

/// Sends `request` and settles `resource` with its answer (see settleInto).
template <class T, class Parse, class Done>
void loadInto(ApiClient & api, const HttpRequest & request, Resource<T> & resource, std::weak_ptr<bool> alive, Parse parse, Done done)
{
	api.request(request, settleInto(resource, std::move(alive), std::move(parse), std::move(done)));
}

template <class T, class Parse>
void loadInto(ApiClient & api, const HttpRequest & request, Resource<T> & resource, std::weak_ptr<bool> alive, Parse parse)
{
	api.request(request, settleInto(resource, std::move(alive), std::move(parse)));
}

} // namespace ccc::admin
