#pragma once
#include "panels/panel.h"

namespace ccc::admin
{

class TaggersModel;
struct TaggerForm;

/// The taggers: the list in pipeline order (enable switch, edit, delete with confirmation), the
/// editor of one tagger (the fields of its type, or the Lua script) validated as you type, "try on
/// a sample request", and the registered tags with the taggers and endpoints using them. State
/// and actions live in TaggersModel (AppState::taggers()).
class TaggersPanel : public Panel
{
public:
	const char * id() const override { return "taggers"; }
	Msg title() const override { return Msg::PanelTaggers; }
	void onShow(PanelContext & ctx) override;
	void draw(PanelContext & ctx) override;

private:
	void drawList(PanelContext & ctx, TaggersModel & m);
	void drawTags(PanelContext & ctx, TaggersModel & m);
	void drawEditor(PanelContext & ctx, TaggersModel & m);
	void drawTry(PanelContext & ctx, TaggersModel & m);
};

} // namespace ccc::admin
