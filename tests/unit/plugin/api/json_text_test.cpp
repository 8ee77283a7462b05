#include "plugin/api/json_text.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "json_fixture.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using namespace json_fixture;

TEST(JsonParse, RejectsMalformedDocuments) {
  EXPECT_THROW(parseJson(""), RequestError);
  EXPECT_THROW(parseJson("{"), RequestError);
  EXPECT_THROW(parseJson("{\"a\":1,}"), RequestError);   // trailing comma
  EXPECT_THROW(parseJson("{\"a\":1} x"), RequestError);  // trailing content
  EXPECT_THROW(parseJson("/* c */ {}"), RequestError);
  EXPECT_THROW(parseJson("  "), RequestError);
  EXPECT_THROW(parseJson("{} {}"), RequestError);
  EXPECT_NO_THROW(parseJson(" {\"a\": [1, 2.5, null, true]} "));
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonParse, RejectsDuplicateKeys) {
  try {
    parseJson(R"({"consent":false,"consent":true})");
    FAIL() << "duplicate accepted";
  } catch (const RequestError& error) {
    EXPECT_NE(std::string(error.what()).find("\"consent\""), std::string::npos) << error.what();
  }
  EXPECT_THROW(parseJson(R"({"a":{"b":1,"b":2}})"), RequestError);
  EXPECT_THROW(parseJson(R"([{"b":1},{"c":{"d":1,"d":1}}])"), RequestError);
  // The same key in sibling or nested objects is fine.
  const json::value ok = parseJson(R"({"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"\u0061"})");
  EXPECT_EQ(ok.at("b").at(1).at("a").as_int64(), 2);
  EXPECT_EQ(ok.at("c").as_string(), "a");
  // Escapes spell the same key differently: still a duplicate.
  EXPECT_THROW(parseJson(R"({"a":1,"\u0061":2})"), RequestError);
}

TEST(JsonParse, DepthLimitIs32) {
  EXPECT_NO_THROW(parseJson(nested(32)));
  try {
    parseJson(nested(33));
    FAIL() << "depth 33 accepted";
  } catch (const RequestError& error) {
    EXPECT_EQ(error.status(), http::beast_http::status::bad_request);
    EXPECT_NE(std::string(error.what()).find("32"), std::string::npos);
  }
}

TEST(JsonParse, RejectsInvalidUtf8) {
  EXPECT_THROW(parseJson("{\"full_name\":\"\xC0\xAF\"}"), RequestError);      // overlong
  EXPECT_THROW(parseJson("{\"full_name\":\"\xED\xA0\x80\"}"), RequestError);  // surrogate
  EXPECT_THROW(parseJson("{\"full_name\":\"\x80\"}"), RequestError);          // stray byte
  EXPECT_THROW(parseJson("{\"\xFF\":1}"), RequestError);                      // in a key
  EXPECT_NO_THROW(parseJson("{\"full_name\":\"Әлия Құнанбайқызы\"}"));
}

TEST(JsonText, WritesDecimalsAsPeopleDoAndEverythingElseAsBoostDoes) {
  const json::value value = json::object{{"rate", 0.823},
                                         {"hours", 24.0},
                                         {"half", 3290.5},
                                         {"tiny", 0.0001},
                                         {"huge", 1e22},
                                         {"count", 106},
                                         {"negative", -2.5},
                                         {"none", nullptr},
                                         {"yes", true},
                                         {"name", "Әлия \"Q\"\n"},
                                         {"list", json::array{1.5, json::object{{"x", 0.1}}}}};
  EXPECT_EQ(toJsonText(value),
            R"({"rate":0.823,"hours":24,"half":3290.5,"tiny":0.0001,"huge":1e+22,"count":106,)"
            R"("negative":-2.5,"none":null,"yes":true,"name":"Әлия \"Q\"\n",)"
            R"("list":[1.5,{"x":0.1}]})");
}

TEST(JsonText, ReadsBackAsTheSameNumbers) {
  const json::value value = json::array{0.1 + 0.2, 1.0 / 3.0, 123456789.125, -0.0, 5e-324};
  const json::value back = parseJson(toJsonText(value));
  ASSERT_EQ(back.as_array().size(), 5U);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(back.as_array()[i].to_number<double>(), value.as_array()[i].as_double()) << i;
  }
}

TEST(JsonText, WritesNullForANumberJsonCannotHold) {
  EXPECT_EQ(toJsonText(json::array{std::numeric_limits<double>::quiet_NaN(),
                                   std::numeric_limits<double>::infinity()}),
            "[null,null]");
}

}  // namespace
}  // namespace plugin::api
