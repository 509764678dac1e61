#pragma once
#include <optional>
#include <string>
#include <utility>

/// Request state shared by every panel: a remote resource (loaded by GET) and an action (a
/// POST/PUT/DELETE a user triggered). Both keep their error until the next attempt, so panels can
/// show it next to the widget that caused it.
namespace ccc::admin
{

/// The life of one remote resource or action. Loading may overlap a previous Loaded/Failed value:
/// the old data stays visible (and valid) until the new answer replaces it.
enum class LoadState
{
	Idle,    ///< never requested
	Loading, ///< a request is in flight
	Loaded,  ///< the last request succeeded; its data is current
	Failed   ///< the last request failed; `error` says why (older data may still be shown)
};

const char * loadStateName(LoadState s);

template <class T>
struct Resource
{
	LoadState state = LoadState::Idle;
	std::string error;       ///< set when state == Failed, empty otherwise
	std::optional<T> data;   ///< the latest successfully loaded value (kept across failures)
	int loads_completed = 0; ///< answers received (success or failure)

	/// Marks a request as started; false (and nothing changes) when one is already in flight.
	bool begin()
	{
		if (state == LoadState::Loading)
			return false;
		state = LoadState::Loading;
		return true;
	}
	void succeed(T value)
	{
		data = std::move(value);
		error.clear();
		state = LoadState::Loaded;
		++loads_completed;
	}
	void fail(std::string reason)
	{
		error = std::move(reason);
		state = LoadState::Failed;
		++loads_completed;
	}
};

/// One user action on the service (e.g. "reset status" of one endpoint).
struct ActionState
{
	LoadState state = LoadState::Idle; ///< Loaded = succeeded
	std::string error;                 ///< why the last attempt failed
	std::string message;               ///< the service's message on success, if any
	int completed = 0;                 ///< attempts answered
};

} // namespace ccc::admin
