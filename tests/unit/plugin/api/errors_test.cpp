#include "plugin/api/errors.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>
#include <string>

namespace plugin::api {
namespace {

namespace json = boost::json;
using courses::ErrorCode;
using Status = http::beast_http::status;

http::Request sampleRequest() {
  http::Request request{http::beast_http::verb::post, "/api/v1/participants?q=Secret%20Name", 11};
  request.keep_alive(true);
  return request;
}

json::object bodyOf(const http::Response& response) {
  return json::parse(response.body()).as_object();
}

constexpr ErrorCode kAllCodes[] = {
    ErrorCode::invalid_argument,  ErrorCode::unprocessable, ErrorCode::unauthenticated,
    ErrorCode::forbidden,         ErrorCode::not_found,     ErrorCode::conflict,
    ErrorCode::too_many_requests, ErrorCode::unavailable,   ErrorCode::internal};

TEST(ErrorTable, EveryCodeHasItsStatus) {
  const std::pair<ErrorCode, Status> expected[] = {
      {ErrorCode::invalid_argument, Status::unprocessable_entity},
      {ErrorCode::unprocessable, Status::unprocessable_entity},
      {ErrorCode::unauthenticated, Status::unauthorized},
      {ErrorCode::forbidden, Status::forbidden},
      {ErrorCode::not_found, Status::not_found},
      {ErrorCode::conflict, Status::conflict},
      {ErrorCode::too_many_requests, Status::too_many_requests},
      {ErrorCode::unavailable, Status::service_unavailable},
      {ErrorCode::internal, Status::internal_server_error}};
  ASSERT_EQ(std::size(expected), std::size(kAllCodes));
  for (const auto& [code, status] : expected) {
    EXPECT_EQ(problemKind(code).status, status) << courses::toString(code);
    EXPECT_FALSE(problemKind(code).slug.empty());
    EXPECT_FALSE(problemKind(code).title.empty());
  }
  EXPECT_EQ(problemKind(ErrorCode::invalid_argument).slug, "invalid-field");
}

TEST(ErrorTable, EveryCodeAnswersProblemJson) {
  for (const ErrorCode code : kAllCodes) {
    const http::Response response =
        errorResponse(courses::Error(code, "detail for the client"), sampleRequest());
    EXPECT_EQ(response.result(), problemKind(code).status);
    EXPECT_EQ(response[http::beast_http::field::content_type], "application/problem+json");
    const json::object body = bodyOf(response);
    EXPECT_EQ(body.at("type").as_string(),
              "https://qatysu.kz/problems/" + std::string(problemKind(code).slug));
    EXPECT_EQ(body.at("status").to_number<unsigned>(), static_cast<unsigned>(response.result()));
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST(ErrorTable, FieldProblemsAreListed) {
  const courses::Error error(ErrorCode::invalid_argument, "invalid full_name",
                             {{"full_name", "must be 1 to 200 characters"}});
  const json::object body = bodyOf(errorResponse(error, sampleRequest()));
  EXPECT_EQ(body.at("detail").as_string(), "invalid full_name");
  const json::array& errors = body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("field").as_string(), "full_name");
  EXPECT_EQ(errors[0].at("message").as_string(), "must be 1 to 200 characters");
}

TEST(ErrorTable, DuplicateParticipantCarriesCandidates) {
  courses::Error error(ErrorCode::conflict, "this person may already be registered");
  error.candidates.push_back({12, "Әлия Нұрланқызы", 1990, 3, {}});
  const http::Response response = errorResponse(error, sampleRequest());
  EXPECT_EQ(response.result(), Status::conflict);
  const json::object body = bodyOf(response);
  EXPECT_EQ(body.at("type").as_string(), "https://qatysu.kz/problems/duplicate-participant");
  const json::array& candidates = body.at("candidates").as_array();
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].at("id").as_int64(), 12);
  EXPECT_EQ(candidates[0].at("full_name").as_string(), "Әлия Нұрланқызы");
  EXPECT_EQ(candidates[0].at("birth_year").as_int64(), 1990);
  EXPECT_EQ(candidates[0].at("locality_id").as_int64(), 3);

  const json::object plain =
      bodyOf(errorResponse(courses::Error(ErrorCode::conflict, "taken"), sampleRequest()));
  EXPECT_EQ(plain.at("type").as_string(), "https://qatysu.kz/problems/conflict");
  EXPECT_FALSE(plain.contains("candidates"));
}

TEST(ErrorTable, ProtocolHeaders) {
  const auto unauthenticated =
      errorResponse(courses::Error(ErrorCode::unauthenticated, "no token"), sampleRequest());
  EXPECT_EQ(unauthenticated[http::beast_http::field::www_authenticate], "Bearer");

  courses::Error locked(ErrorCode::too_many_requests, "locked");
  locked.retry_after_seconds = 840;
  const auto limited = errorResponse(locked, sampleRequest());
  EXPECT_EQ(limited[http::beast_http::field::retry_after], "840");
  EXPECT_EQ(bodyOf(limited).at("retry_after_seconds").as_int64(), 840);

  const auto unavailable =
      errorResponse(courses::Error(ErrorCode::unavailable, "database down"), sampleRequest());
  EXPECT_EQ(unavailable[http::beast_http::field::retry_after], "1");
}

TEST(ErrorTable, InternalErrorsKeepTheirDetailsToTheLog) {
  const auto response = errorResponse(
      courses::Error(ErrorCode::internal, "SELECT password_hash FROM accounts"), sampleRequest());
  EXPECT_EQ(response.result(), Status::internal_server_error);
  EXPECT_EQ(response.body().find("password_hash"), std::string::npos);
  EXPECT_EQ(response.body().find("SELECT"), std::string::npos);
}

http::Response answerTo(const std::function<void()>& thrower) {
  try {
    thrower();
  } catch (...) {
    return currentErrorResponse(sampleRequest());
  }
  ADD_FAILURE() << "nothing thrown";
  return {};
}

TEST(ErrorTable, ForeignExceptionsAreGeneric500s) {
  const auto std_error =
      answerTo([] { throw std::runtime_error("mysql: Lost connection 10.0.0.7"); });
  EXPECT_EQ(std_error.result(), Status::internal_server_error);
  EXPECT_EQ(std_error.body().find("10.0.0.7"), std::string::npos);
  EXPECT_EQ(bodyOf(std_error).at("type").as_string(), "https://qatysu.kz/problems/internal");

  const auto odd = answerTo([] { throw 42; });
  EXPECT_EQ(odd.result(), Status::internal_server_error);
  EXPECT_EQ(odd.body(), std_error.body());
}

TEST(ErrorTable, CurrentErrorDispatchesByType) {
  EXPECT_EQ(answerTo([] { throw courses::Error(ErrorCode::not_found, "no such cohort"); }).result(),
            Status::not_found);
  const auto bad = answerTo([] { throw invalidRequest("unknown field \"x\""); });
  EXPECT_EQ(bad.result(), Status::bad_request);
  EXPECT_EQ(bodyOf(bad).at("type").as_string(), "https://qatysu.kz/problems/invalid-request");
  EXPECT_EQ(bodyOf(bad).at("detail").as_string(), "unknown field \"x\"");
  EXPECT_EQ(answerTo([] { throw unsupportedMediaType("must be JSON"); }).result(),
            Status::unsupported_media_type);
}

}  // namespace
}  // namespace plugin::api
