-- Tags Claude Code subagent turns and haiku (background) calls.
function should_tag(request)
	if request.headers["x-claude-code-agent-id"] then
		return true
	end
	local body = request.body
	return body ~= nil and type(body.model) == "string" and contains(body.model, "haiku")
end
