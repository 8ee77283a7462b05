#include "courses/error.hpp"

namespace courses {

std::string_view toString(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::unprocessable:
      return "unprocessable";
    case ErrorCode::unauthenticated:
      return "unauthenticated";
    case ErrorCode::forbidden:
      return "forbidden";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::stale:
      return "stale";
    case ErrorCode::version_required:
      return "version_required";
    case ErrorCode::too_many_requests:
      return "too_many_requests";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace courses
