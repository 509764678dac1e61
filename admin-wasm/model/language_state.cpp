#include "model/language_state.h"

namespace ccc::admin
{

LanguageState::LanguageState(HttpTransport transport) : _transport(std::move(transport))
{
}

LanguageState::~LanguageState()
{
	*_alive = false;
}

bool LanguageState::looksLikeFont(const std::string & bytes)
{
	if (bytes.size() < 12)
		return false;
	const std::string tag = bytes.substr(0, 4);
	return tag == std::string("\x00\x01\x00\x00", 4) || tag == "true" || tag == "OTTO" || tag == "ttcf";
}

void LanguageState::request(Language language)
{
	_requested = language;
	if (!needsCjkFont(language) || _font.data)
	{
		setLanguage(language);
		return;
	}
	if (!_transport || !_font.begin())
	{
		if (!_transport)
			_font.fail("no HTTP transport");
		return;
	}
	HttpRequest req;
	req.path = kCjkFontPath;
	std::weak_ptr<bool> alive = _alive;
	_transport(req, [this, alive](HttpResponse response) {
		auto flag = alive.lock();
		if (!flag || !*flag)
			return;
		if (response.status == 0)
			_font.fail("service unreachable" + (response.transport_error.empty() ? std::string() : ": " + response.transport_error));
		else if (!response.ok())
			_font.fail("HTTP " + std::to_string(response.status));
		else if (!looksLikeFont(response.body))
			_font.fail("the answer is not a font file");
		else
		{
			_font.succeed(std::move(response.body));
			++_fontGeneration;
		}
		// Apply the switch only if the user still wants a language needing this font.
		if (_font.data && needsCjkFont(_requested))
			setLanguage(_requested);
	});
}

} // namespace ccc::admin
