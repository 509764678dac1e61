#pragma once
#include "panels/panel.h"

namespace ccc::admin
{

/// The taggers of the loaded configuration, read-only (the tagger API will make them editable).
class TaggersPanel : public Panel
{
public:
	const char * id() const override { return "taggers"; }
	Msg title() const override { return Msg::PanelTaggers; }
	void draw(PanelContext & ctx) override;
};

} // namespace ccc::admin
