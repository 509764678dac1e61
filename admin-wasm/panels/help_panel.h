#pragma once
#include <string>

#include "panels/panel.h"

namespace ccc::admin
{

/// How to point Claude Code at this proxy, with the shell lines ready to copy.
class HelpPanel : public Panel
{
public:
	const char * id() const override { return "help"; }
	Msg title() const override { return Msg::PanelHelp; }
	void draw(PanelContext & ctx) override;

	/// The shell lines for a proxy reachable at `origin` ("http://127.0.0.1:8080").
	static std::string setupCommands(const std::string & origin);

private:
	bool _copied = false;
};

} // namespace ccc::admin
