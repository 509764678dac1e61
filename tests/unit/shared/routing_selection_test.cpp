#include <gtest/gtest.h>

#include "ccc/routing/selection.h"

namespace config = ccc::config;
namespace routing = ccc::routing;

namespace
{

config::Endpoint ep(const std::string & name, int priority, std::vector<std::string> tags = {}, bool enabled = true)
{
	config::Endpoint e;
	e.name = name;
	e.url = "https://" + name + ".example";
	e.priority = priority;
	e.tags = std::move(tags);
	e.enabled = enabled;
	return e;
}

/// "name:tier" of each candidate, in order.
std::vector<std::string> order(const std::vector<config::Endpoint> & eps, const std::vector<std::string> & tags,
	routing::SelectionPolicy policy = {})
{
	std::vector<std::string> out;
	for (const auto & c : routing::orderCandidates(eps, tags, policy))
		out.push_back(eps[c.index].name + ":" + std::to_string(c.tier));
	return out;
}

using V = std::vector<std::string>;

} // namespace

TEST(RoutingSelection, DefaultPolicyIsTheOriginals)
{
	routing::SelectionPolicy p;
	EXPECT_TRUE(p.fallbackToUntagged);
	EXPECT_FALSE(p.untaggedUseTagged);
}

TEST(RoutingSelection, UntaggedRequestUsesOnlyUntaggedEndpoints)
{
	std::vector<config::Endpoint> eps = {ep("cheap", 1, {"haiku"}), ep("b", 2), ep("a", 1)};
	EXPECT_EQ(order(eps, {}), (V{"a:0", "b:0"}));
}

TEST(RoutingSelection, UntaggedRequestMayUseTaggedWhenAllowed)
{
	std::vector<config::Endpoint> eps = {ep("cheap", 1, {"haiku"}), ep("b", 2), ep("a", 3)};
	routing::SelectionPolicy p;
	p.untaggedUseTagged = true;
	// untagged endpoints first (tier 0), then tagged ones (tier 1), each by priority
	EXPECT_EQ(order(eps, {}, p), (V{"b:0", "a:0", "cheap:1"}));
}

TEST(RoutingSelection, TaggedRequestNeedsAllTagsThenFallsBackToUntagged)
{
	std::vector<config::Endpoint> eps = {ep("general", 1), ep("both", 3, {"haiku", "long"}), ep("haiku-only", 2, {"haiku"}),
		ep("long-only", 1, {"long"})};
	EXPECT_EQ(order(eps, {"haiku"}), (V{"haiku-only:0", "both:0", "general:1"}));
	// an endpoint carrying only some of the tags is never used
	EXPECT_EQ(order(eps, {"haiku", "long"}), (V{"both:0", "general:1"}));
	EXPECT_EQ(order(eps, {"long", "haiku"}), (V{"both:0", "general:1"})); // order of request tags is irrelevant
	EXPECT_EQ(order(eps, {"unknown"}), (V{"general:1"}));
}

TEST(RoutingSelection, TaggedRequestWithoutFallback)
{
	std::vector<config::Endpoint> eps = {ep("general", 1), ep("cheap", 2, {"haiku"})};
	routing::SelectionPolicy p;
	p.fallbackToUntagged = false;
	EXPECT_EQ(order(eps, {"haiku"}, p), (V{"cheap:0"}));
	EXPECT_TRUE(order(eps, {"long"}, p).empty());
	// the flag does not affect untagged requests
	EXPECT_EQ(order(eps, {}, p), (V{"general:0"}));
}

TEST(RoutingSelection, TierBeatsPriority)
{
	std::vector<config::Endpoint> eps = {ep("general", 1), ep("cheap", 99, {"haiku"})};
	EXPECT_EQ(order(eps, {"haiku"}), (V{"cheap:0", "general:1"}));
}

TEST(RoutingSelection, EqualPrioritiesKeepConfigOrder)
{
	std::vector<config::Endpoint> eps = {ep("c", 1), ep("a", 1), ep("b", 1), ep("z", 0)};
	EXPECT_EQ(order(eps, {}), (V{"z:0", "c:0", "a:0", "b:0"}));
}

TEST(RoutingSelection, DisabledEndpointsAreNeverCandidates)
{
	std::vector<config::Endpoint> eps = {ep("off", 1, {}, false), ep("on", 2), ep("tagged-off", 1, {"haiku"}, false)};
	EXPECT_EQ(order(eps, {}), (V{"on:0"}));
	EXPECT_EQ(order(eps, {"haiku"}), (V{"on:1"}));
	routing::SelectionPolicy p;
	p.untaggedUseTagged = true;
	EXPECT_EQ(order(eps, {}, p), (V{"on:0"}));
}

TEST(RoutingSelection, IndexesPointIntoTheConfigList)
{
	std::vector<config::Endpoint> eps = {ep("x", 5), ep("y", 1)};
	auto c = routing::orderCandidates(eps, {}, {});
	ASSERT_EQ(c.size(), 2u);
	EXPECT_EQ(c[0].index, 1u);
	EXPECT_EQ(c[1].index, 0u);
}

TEST(RoutingSelection, EmptyConfig)
{
	EXPECT_TRUE(order({}, {}).empty());
	EXPECT_TRUE(order({}, {"a"}).empty());
	EXPECT_EQ(routing::describeNoCandidates({}, {}, {}), "no endpoints are configured; add one in config.yaml or the admin");
}

TEST(RoutingSelection, DescribeAllDisabled)
{
	std::vector<config::Endpoint> eps = {ep("a", 1, {}, false), ep("b", 1, {"x"}, false)};
	EXPECT_EQ(routing::describeNoCandidates(eps, {"x"}, {}), "all 2 configured endpoints are disabled");
}

TEST(RoutingSelection, DescribeUntaggedRequestWithOnlyTaggedEndpoints)
{
	std::vector<config::Endpoint> eps = {ep("cheap", 1, {"haiku"}), ep("long", 1, {"long"})};
	std::string msg = routing::describeNoCandidates(eps, {}, {});
	EXPECT_NE(msg.find("the request has no tags"), std::string::npos) << msg;
	EXPECT_NE(msg.find("untagged_use_tagged"), std::string::npos) << msg;
}

TEST(RoutingSelection, DescribeTaggedRequestNamesTagsAndTaggedEndpoints)
{
	std::vector<config::Endpoint> eps = {ep("cheap", 1, {"haiku"}), ep("long", 1, {"long", "opus"})};
	std::string msg = routing::describeNoCandidates(eps, {"haiku", "long"}, {});
	EXPECT_NE(msg.find("[haiku, long]"), std::string::npos) << msg;
	EXPECT_NE(msg.find("no enabled untagged endpoint exists to fall back to"), std::string::npos) << msg;
	EXPECT_NE(msg.find("cheap [haiku]"), std::string::npos) << msg;
	EXPECT_NE(msg.find("long [long, opus]"), std::string::npos) << msg;

	std::vector<config::Endpoint> withGeneral = eps;
	withGeneral.push_back(ep("general", 1));
	routing::SelectionPolicy p;
	p.fallbackToUntagged = false;
	ASSERT_TRUE(routing::orderCandidates(withGeneral, {"haiku", "long"}, p).empty());
	msg = routing::describeNoCandidates(withGeneral, {"haiku", "long"}, p);
	EXPECT_NE(msg.find("tagging.fallback_to_untagged is off"), std::string::npos) << msg;
}
