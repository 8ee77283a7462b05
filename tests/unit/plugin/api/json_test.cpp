#include "plugin/api/json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "json_fixture.hpp"

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using namespace json_fixture;

TEST(JsonStrict, UnknownFieldIs400NamingIt) {
  EXPECT_NE(badRequestDetail(registration(R"(,"nickname":"x")"), registrationFromJson)
                .find("\"nickname\""),
            std::string::npos);
  EXPECT_NE(badRequestDetail(registration(R"(,"id":5)"), registrationFromJson).find("\"id\""),
            std::string::npos);
  const std::string nested_detail = badRequestDetail(
      R"({"code":"c","title":{"kk":"","ru":"","en":"","de":""},"donor":"d","starts_on":"s","ends_on":"e"})",
      programmeFromJson);
  EXPECT_NE(nested_detail.find("\"title.de\""), std::string::npos) << nested_detail;
}

TEST(JsonStrict, UnknownLongFieldNameIsCutInTheMessage) {
  const std::string detail =
      badRequestDetail("{\"" + std::string(3000, 'k') + "\":1}", enrolmentRequestFromJson);
  EXPECT_FALSE(detail.empty());
  EXPECT_LT(detail.size(), 200u);
}

TEST(JsonStrict, WrongTypeIs400NamingFieldAndType) {
  const std::string detail = badRequestDetail(
      R"({"full_name":"Ерлан","gender":"male","birth_year":"1990","locality_id":3,)"
      R"("affiliation":"entrepreneur","consent":true})",
      registrationFromJson);
  EXPECT_NE(detail.find("\"birth_year\""), std::string::npos) << detail;
  EXPECT_NE(detail.find("an integer"), std::string::npos) << detail;
  EXPECT_NE(badRequestDetail(registration(R"(,"vulnerable":"youth")"), registrationFromJson)
                .find("an array"),
            std::string::npos);
  EXPECT_NE(badRequestDetail(R"([1,2])", registrationFromJson).find("object"), std::string::npos);
  EXPECT_NE(badRequestDetail(R"({"participant_id":true})", enrolmentRequestFromJson)
                .find("participant_id"),
            std::string::npos);
}

TEST(JsonStrict, IntegersMustBeIntegers) {
  EXPECT_FALSE(badRequestDetail(R"({"participant_id":1.5})", enrolmentRequestFromJson).empty());
  EXPECT_FALSE(badRequestDetail(R"({"participant_id":1e10})", enrolmentRequestFromJson).empty());
  EXPECT_FALSE(badRequestDetail(R"({"participant_id":2.0})", enrolmentRequestFromJson).empty());
  EXPECT_EQ(enrolmentRequestFromJson(parseJson(R"({"participant_id":9007199254740992})")),
            9007199254740992);
}

TEST(JsonStrict, OutOfRangeIntegersAre422) {
  EXPECT_TRUE(hasField(fieldProblems(R"({"participant_id":0})", enrolmentRequestFromJson),
                       "participant_id"));
  EXPECT_TRUE(hasField(fieldProblems(R"({"participant_id":-4})", enrolmentRequestFromJson),
                       "participant_id"));
  EXPECT_TRUE(
      hasField(fieldProblems(R"({"participant_id":9007199254740993})", enrolmentRequestFromJson),
               "participant_id"));
  EXPECT_TRUE(hasField(
      fieldProblems(R"({"participant_id":18446744073709551615})", enrolmentRequestFromJson),
      "participant_id"));
  EXPECT_TRUE(
      hasField(fieldProblems(R"({"starts_at":"x","duration_minutes":10000000000,"topic":"t"})",
                             kReadSession),
               "duration_minutes"));
}

TEST(JsonStrict, MissingRequiredFieldsAre422ListingEach) {
  const auto problems = fieldProblems(R"({"full_name":"Ерлан"})", registrationFromJson);
  for (const char* field : {"gender", "birth_year", "locality_id", "affiliation", "consent"}) {
    EXPECT_TRUE(hasField(problems, field)) << field;
  }
  EXPECT_FALSE(hasField(problems, "full_name"));
  EXPECT_FALSE(hasField(problems, "phone"));  // optional
  EXPECT_TRUE(hasField(fieldProblems(R"({"code":"c","title":{"kk":""},"donor":"d",)"
                                     R"("starts_on":"s","ends_on":"e"})",
                                     programmeFromJson),
                       "title.ru"));
}

TEST(JsonStrict, UnknownEnumNamesAre422) {
  const auto problems =
      fieldProblems(registration(R"(,"vulnerable":["youth","giant"])"), registrationFromJson);
  ASSERT_TRUE(hasField(problems, "vulnerable[1]"));
  EXPECT_NE(problems[0].message.find("pensioner"), std::string::npos);
  EXPECT_TRUE(hasField(
      fieldProblems(R"({"full_name":"Ерлан","gender":"other","birth_year":1990,"locality_id":3,)"
                    R"("affiliation":"entrepreneur","consent":true})",
                    registrationFromJson),
      "gender"));
}

TEST(JsonStrict, StringsOver4096BytesAre422) {
  const std::string long_name(4097, 'a');
  EXPECT_TRUE(hasField(fieldProblems(R"({"full_name":")" + long_name +
                                         R"(","gender":"male","birth_year":1990,"locality_id":3,)"
                                         R"("affiliation":"entrepreneur","consent":true})",
                                     registrationFromJson),
                       "full_name"));
  const std::string fits(4096, 'a');
  EXPECT_NO_THROW(loginFromJson(parseJson(R"({"login":"a","password":")" + fits + "\"}")));
}

}  // namespace
}  // namespace plugin::api
