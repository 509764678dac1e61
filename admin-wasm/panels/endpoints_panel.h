#pragma once
#include <array>

#include "panels/panel.h"

namespace ccc::admin
{

/// The endpoints with their live state (GET /admin/api/endpoints), a text filter, and a
/// "reset status" button per endpoint whose progress and error show on that endpoint's row.
/// Editing arrives with the configuration API.
class EndpointsPanel : public Panel
{
public:
	const char * id() const override { return "endpoints"; }
	Msg title() const override { return Msg::PanelEndpoints; }
	void onShow(PanelContext & ctx) override;
	void draw(PanelContext & ctx) override;

private:
	std::array<char, 128> _filter{};
};

} // namespace ccc::admin
