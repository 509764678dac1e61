#pragma once
#include <deque>
#include <string>
#include <utility>

#include "model/http.h"

namespace ccc::admin::testing
{

/// An HttpTransport whose requests wait in a queue until the test answers them, so tests see
/// the state while a request is in flight and choose the order of answers.
class FakeTransport
{
public:
	struct Pending
	{
		HttpRequest request;
		HttpCallback done;
	};

	HttpTransport transport()
	{
		return [this](const HttpRequest & request, HttpCallback done) { _pending.push_back({request, std::move(done)}); };
	}

	size_t pending() const { return _pending.size(); }
	const HttpRequest & front() const { return _pending.front().request; }

	/// Answers the oldest request.
	void answer(int status, std::string body, std::string transportError = "")
	{
		Pending p = std::move(_pending.front());
		_pending.pop_front();
		HttpResponse r;
		r.status = status;
		r.body = std::move(body);
		r.transport_error = std::move(transportError);
		p.done(std::move(r));
	}

private:
	std::deque<Pending> _pending;
};

} // namespace ccc::admin::testing
