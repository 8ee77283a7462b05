#include "plugin/api/errors.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <exception>
#include <string>

#include "plugin/api/json_participants.hpp"
#include "plugin/http/log.hpp"
#include "plugin/http/problem.hpp"

namespace plugin::api {

namespace {

using Status = http::beast_http::status;

constexpr std::string_view kGenericDetail =
    "The server could not complete the request. It has been logged.";

// The path without its query string: queries may carry names people searched for, which must
// not reach the log.
std::string_view pathOf(const http::Request& request) {
  const std::string_view target = request.target();
  return target.substr(0, target.find('?'));
}

void logInternal(const http::Request& request, std::string_view what) {
  http::logLine("qatysu.api", http::LogLevel::error,
                std::string(request.method_string()) + " " + std::string(pathOf(request)) +
                    " failed: " + std::string(what));
}

http::Response internalResponse(const http::Request& request) {
  const ProblemKind kind = problemKind(courses::ErrorCode::internal);
  return http::problem(kind.status, kind.slug, kind.title, kGenericDetail, {}, request.version(),
                       request.keep_alive());
}

}  // namespace

RequestError invalidRequest(std::string detail) {
  return RequestError(Status::bad_request, "invalid-request", "Invalid request", std::move(detail));
}

RequestError invalidParameter(std::string_view name, std::string message) {
  std::string detail = "query parameter \"" + std::string(name) + "\" " + message;
  return RequestError(Status::bad_request, "invalid-request", "Invalid request", std::move(detail),
                      {{std::string(name), std::move(message)}});
}

RequestError csrfRejected() {
  return RequestError(Status::forbidden, "csrf", "CSRF check failed",
                      "missing or wrong CSRF token: send the session's csrf_token in the "
                      "X-CSRF-Token header");
}

RequestError unsupportedMediaType(std::string detail) {
  return RequestError(Status::unsupported_media_type, "unsupported-media-type",
                      "Unsupported media type", std::move(detail));
}

ProblemKind problemKind(courses::ErrorCode code) noexcept {
  using courses::ErrorCode;
  switch (code) {
    case ErrorCode::invalid_argument:
      return {Status::unprocessable_entity, "invalid-field", "Invalid field"};
    case ErrorCode::unprocessable:
      return {Status::unprocessable_entity, "unprocessable", "Request cannot be processed"};
    case ErrorCode::unauthenticated:
      return {Status::unauthorized, "unauthenticated", "Authentication required"};
    case ErrorCode::forbidden:
      return {Status::forbidden, "forbidden", "Forbidden"};
    case ErrorCode::not_found:
      return {Status::not_found, "not-found", "Not found"};
    case ErrorCode::conflict:
      return {Status::conflict, "conflict", "Conflict"};
    case ErrorCode::stale:
      return {Status::precondition_failed, "stale", "Changed since it was read"};
    case ErrorCode::version_required:
      return {Status::precondition_required, "version-required", "If-Match required"};
    case ErrorCode::too_many_requests:
      return {Status::too_many_requests, "too-many-requests", "Too many requests"};
    case ErrorCode::unavailable:
      return {Status::service_unavailable, "unavailable", "Service unavailable"};
    case ErrorCode::internal:
      break;
  }
  return {Status::internal_server_error, "internal", "Internal server error"};
}

http::Response errorResponse(const courses::Error& error, const http::Request& request) {
  using courses::ErrorCode;
  if (error.code() == ErrorCode::internal) {
    logInternal(request, error.what());
    return internalResponse(request);
  }
  ProblemKind kind = problemKind(error.code());
  boost::json::object extra;
  if (!error.fields().empty()) {
    boost::json::array fields;
    for (const auto& field : error.fields()) {
      fields.push_back(boost::json::object{{"field", field.field}, {"message", field.message}});
    }
    extra["errors"] = std::move(fields);
  }
  if (error.code() == ErrorCode::conflict && !error.candidates.empty()) {
    kind.slug = "duplicate-participant";
    kind.title = "Possible duplicate participant";
    boost::json::array candidates;
    for (const auto& candidate : error.candidates) candidates.push_back(toJson(candidate));
    extra["candidates"] = std::move(candidates);
  }
  if (error.code() == ErrorCode::too_many_requests) {
    extra["retry_after_seconds"] = std::max(1, error.retry_after_seconds);
  }
  http::Response response =
      http::problem(kind.status, kind.slug, kind.title, error.what(), std::move(extra),
                    request.version(), request.keep_alive());
  switch (error.code()) {
    case ErrorCode::unauthenticated:
      response.set(http::beast_http::field::www_authenticate, "Bearer");
      break;
    case ErrorCode::too_many_requests:
      response.set(http::beast_http::field::retry_after,
                   std::to_string(std::max(1, error.retry_after_seconds)));
      break;
    case ErrorCode::unavailable:
      response.set(http::beast_http::field::retry_after, "1");
      break;
    default:
      break;
  }
  return response;
}

http::Response errorResponse(const RequestError& error, const http::Request& request) {
  boost::json::object extra;
  if (!error.fields().empty()) {
    boost::json::array fields;
    for (const auto& field : error.fields()) {
      fields.push_back(boost::json::object{{"field", field.field}, {"message", field.message}});
    }
    extra["errors"] = std::move(fields);
  }
  return http::problem(error.status(), error.slug(), error.title(), error.what(), std::move(extra),
                       request.version(), request.keep_alive());
}

http::Response currentErrorResponse(const http::Request& request) {
  try {
    throw;
  } catch (const courses::Error& error) {
    return errorResponse(error, request);
  } catch (const RequestError& error) {
    return errorResponse(error, request);
  } catch (const std::exception& error) {
    logInternal(request, error.what());
  } catch (...) {
    logInternal(request, "unknown exception");
  }
  return internalResponse(request);
}

}  // namespace plugin::api
