#include "plugin/http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace plugin::http {
namespace {

using beast_http::verb;

Handler named(std::string name) {
  return [name](Context&) {
    Response response{beast_http::status::ok, 11};
    response.body() = name;
    return response;
  };
}

/// Which handler a match reached (by calling it), or "404" / "405".
std::string resolve(const Router& router, verb method, std::string_view path) {
  auto result = router.match(method, path);
  if (const auto* miss = std::get_if<Router::Miss>(&result)) {
    return miss->reason == Router::Miss::not_found ? "404" : "405";
  }
  const Request request;
  Context context{request, std::get<Router::Match>(result).params, {}, "", "", {}};
  return std::get<Router::Match>(result).route->handler(context).body();
}

TEST(RouterTest, MatchesLiteralPaths) {
  Router router;
  router.add(verb::get, "/livez", named("livez"), Execution::inline_io);
  router.add(verb::get, "/api/v1/programmes", named("list"));
  EXPECT_EQ(resolve(router, verb::get, "/livez"), "livez");
  EXPECT_EQ(resolve(router, verb::get, "/api/v1/programmes"), "list");
  EXPECT_EQ(resolve(router, verb::get, "/api/v1"), "404");
  EXPECT_EQ(resolve(router, verb::get, "/api/v1/programmes/extra"), "404");
  EXPECT_EQ(resolve(router, verb::get, "/livez/"), "404");
  EXPECT_EQ(resolve(router, verb::get, "/LIVEZ"), "404");
  EXPECT_EQ(resolve(router, verb::get, ""), "404");
  EXPECT_EQ(resolve(router, verb::get, "livez"), "404");
}

TEST(RouterTest, CapturesParametersInOrder) {
  Router router;
  router.add(verb::get, "/a/{x}/b/{y}", named("ab"));
  auto result = router.match(verb::get, "/a/12/b/x%20y");
  ASSERT_TRUE(std::holds_alternative<Router::Match>(result));
  const auto& match = std::get<Router::Match>(result);
  EXPECT_EQ(match.route->pattern, "/a/{x}/b/{y}");
  ASSERT_EQ(match.params.size(), 2U);
  EXPECT_EQ(match.params[0], "12");
  EXPECT_EQ(match.params[1], "x y");
}

TEST(RouterTest, ParameterNeedsANonEmptySegment) {
  Router router;
  router.add(verb::get, "/cohorts/{id}", named("cohort"));
  EXPECT_EQ(resolve(router, verb::get, "/cohorts/"), "404");
  EXPECT_EQ(resolve(router, verb::get, "/cohorts"), "404");
  EXPECT_EQ(resolve(router, verb::get, "/cohorts/7"), "cohort");
}

TEST(RouterTest, MalformedEscapeInAParameterIsNotFound) {
  Router router;
  router.add(verb::get, "/cohorts/{id}", named("cohort"));
  EXPECT_EQ(resolve(router, verb::get, "/cohorts/%zz"), "404");
  EXPECT_EQ(resolve(router, verb::get, "/cohorts/%4"), "404");
}

TEST(RouterTest, OtherMethodOnAKnownPathIsMethodNotAllowed) {
  Router router;
  router.add(verb::get, "/cohorts/{id}/sessions", named("list"));
  router.add(verb::post, "/cohorts/{id}/sessions", named("add"));
  EXPECT_EQ(resolve(router, verb::post, "/cohorts/3/sessions"), "add");
  EXPECT_EQ(resolve(router, verb::get, "/cohorts/3/sessions"), "list");
  EXPECT_EQ(resolve(router, verb::delete_, "/cohorts/3/sessions"), "405");
  EXPECT_EQ(resolve(router, verb::delete_, "/cohorts/3/other"), "404");
}

TEST(RouterTest, HeadWithoutARouteOfItsOwnMatchesTheGetRoute) {
  Router router;
  router.add(verb::get, "/cohorts/{id}", named("get"));
  router.add(verb::post, "/cohorts/{id}/sessions", named("add"));
  router.add(verb::get, "/explicit", named("get-explicit"));
  router.add(verb::head, "/explicit", named("head-explicit"));
  auto result = router.match(verb::head, "/cohorts/7");
  ASSERT_TRUE(std::holds_alternative<Router::Match>(result));
  EXPECT_EQ(std::get<Router::Match>(result).route->method, verb::get);
  EXPECT_EQ(std::get<Router::Match>(result).params, std::vector<std::string>{"7"});
  EXPECT_EQ(resolve(router, verb::head, "/cohorts/7"), "get");
  EXPECT_EQ(resolve(router, verb::head, "/explicit"), "head-explicit");
  // HEAD stands in for GET only: a path with no GET route still refuses it.
  EXPECT_EQ(resolve(router, verb::head, "/cohorts/7/sessions"), "405");
  EXPECT_EQ(resolve(router, verb::head, "/nowhere"), "404");
  EXPECT_EQ(resolve(router, verb::delete_, "/cohorts/7"), "405");
}

/// The methods a miss says the path takes, as a 405's Allow header lists them.
std::string allowedOn(const Router& router, verb method, std::string_view path) {
  auto result = router.match(method, path);
  const auto* miss = std::get_if<Router::Miss>(&result);
  if (miss == nullptr) return "matched";
  std::string allowed;
  for (const verb each : miss->allowed) {
    if (!allowed.empty()) allowed += ", ";
    allowed += beast_http::to_string(each);
  }
  return allowed;
}

TEST(RouterTest, AMethodNotAllowedMissListsThePathsMethodsInAFixedOrder) {
  Router router;
  router.add(verb::delete_, "/cohorts/{id}", named("remove"));
  router.add(verb::patch, "/cohorts/{id}", named("edit"));
  router.add(verb::get, "/cohorts/{id}", named("get"));
  router.add(verb::post, "/cohorts/{id}/sessions", named("add"));
  // GET brings HEAD; the order is GET, HEAD, POST, PUT, PATCH, DELETE whatever the table's.
  EXPECT_EQ(allowedOn(router, verb::put, "/cohorts/7"), "GET, HEAD, PATCH, DELETE");
  EXPECT_EQ(allowedOn(router, verb::get, "/cohorts/7/sessions"), "POST");
  // HEAD on a path without GET is refused with the path's own methods.
  EXPECT_EQ(allowedOn(router, verb::head, "/cohorts/7/sessions"), "POST");
}

TEST(RouterTest, AnExplicitHeadRouteIsListedOnce) {
  Router router;
  router.add(verb::head, "/explicit", named("head"));
  router.add(verb::get, "/explicit", named("get"));
  EXPECT_EQ(allowedOn(router, verb::post, "/explicit"), "GET, HEAD");
}

TEST(RouterTest, TheAllowedMethodsAreThoseOfEveryPatternThePathMatches) {
  Router router;
  router.add(verb::get, "/participants/search", named("search"));
  router.add(verb::patch, "/participants/{id}", named("edit"));
  // PATCH /participants/search would reach the {id} route, so it is allowed there too.
  EXPECT_EQ(allowedOn(router, verb::delete_, "/participants/search"), "GET, HEAD, PATCH");
  EXPECT_EQ(allowedOn(router, verb::delete_, "/participants/7"), "PATCH");
}

TEST(RouterTest, MethodsOutsideTheUsualSixFollowInTheOrderAdded) {
  Router router;
  router.add(verb::options, "/things", named("options"));
  router.add(verb::post, "/things", named("add"));
  router.add(verb::trace, "/things", named("trace"));
  EXPECT_EQ(allowedOn(router, verb::get, "/things"), "POST, OPTIONS, TRACE");
}

TEST(RouterTest, ANotFoundMissListsNoMethods) {
  Router router;
  router.add(verb::get, "/cohorts/{id}", named("get"));
  EXPECT_EQ(allowedOn(router, verb::get, "/nowhere"), "");
  EXPECT_EQ(allowedOn(router, verb::post, "/nowhere"), "");
  // A malformed escape finds nothing, whatever the method.
  EXPECT_EQ(resolve(router, verb::post, "/cohorts/%zz"), "404");
  EXPECT_EQ(allowedOn(router, verb::post, "/cohorts/%zz"), "");
}

TEST(RouterTest, KeepsEachRoutesBodyLimit) {
  Router router;
  router.add(verb::post, "/small", named("small"));
  router.add(verb::post, "/large", named("large"), Execution::worker, 1024 * 1024);
  EXPECT_EQ(router.routes()[0].body_limit, 0U);
  EXPECT_EQ(router.routes()[1].body_limit, 1024U * 1024U);
  EXPECT_EQ(router.largestBodyLimit(64 * 1024), 1024U * 1024U);
  EXPECT_EQ(router.largestBodyLimit(4 * 1024 * 1024), 4U * 1024U * 1024U);
  EXPECT_EQ(Router{}.largestBodyLimit(10), 10U);
}

TEST(RouterTest, LiteralSegmentWinsOverParameterWhateverTheOrder) {
  Router router;
  router.add(verb::get, "/participants/{id}", named("one"));
  router.add(verb::get, "/participants/search", named("search"));
  router.add(verb::get, "/x/{a}/literal", named("param-first"));
  router.add(verb::get, "/x/literal/{b}", named("literal-first"));
  EXPECT_EQ(resolve(router, verb::get, "/participants/search"), "search");
  EXPECT_EQ(resolve(router, verb::get, "/participants/5"), "one");
  EXPECT_EQ(resolve(router, verb::get, "/x/literal/literal"), "literal-first");
  EXPECT_EQ(resolve(router, verb::get, "/x/other/literal"), "param-first");
}

TEST(RouterTest, RootPathIsItsOwnRoute) {
  Router router;
  router.add(verb::get, "/", named("root"));
  EXPECT_EQ(resolve(router, verb::get, "/"), "root");
  EXPECT_EQ(resolve(router, verb::get, "/x"), "404");
}

TEST(RouterTest, RejectsMalformedPatternsAndDuplicates) {
  Router router;
  EXPECT_THROW(router.add(verb::get, "livez", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add(verb::get, "/a/x{id}", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add(verb::get, "/a/{}", named("x")), std::invalid_argument);
  EXPECT_THROW(router.add(verb::get, "/a", Handler{}), std::invalid_argument);
  router.add(verb::get, "/a", named("a"));
  EXPECT_THROW(router.add(verb::get, "/a", named("again")), std::invalid_argument);
  router.add(verb::post, "/a", named("post"));  // another method is another route
  EXPECT_EQ(router.routes().size(), 2U);
}

TEST(RouterTest, ListsRoutesInTheOrderAdded) {
  Router router;
  router.add(verb::get, "/b", named("b"), Execution::inline_io);
  router.add(verb::post, "/a", named("a"));
  ASSERT_EQ(router.routes().size(), 2U);
  EXPECT_EQ(router.routes()[0].pattern, "/b");
  EXPECT_EQ(router.routes()[0].execution, Execution::inline_io);
  EXPECT_EQ(router.routes()[1].pattern, "/a");
  EXPECT_EQ(router.routes()[1].method, verb::post);
  EXPECT_EQ(router.routes()[1].execution, Execution::worker);
}

}  // namespace
}  // namespace plugin::http
