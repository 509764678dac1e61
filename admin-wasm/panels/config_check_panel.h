#pragma once
#include "panels/panel.h"

namespace ccc::admin
{

/// Shows the service's loaded config as validated in the browser by shared/'s
/// configFromJson + validate: a summary line, every finding with its key path, and the endpoints.
class ConfigCheckPanel : public Panel
{
public:
	const char * id() const override { return "config_check"; }
	const char * title() const override { return "Config check"; }
	void draw(PanelContext & ctx) override;

private:
	bool _showWarnings = true;
};

} // namespace ccc::admin
