#pragma once
// Private helpers for raising field-level validation errors consistently across the domain.

#include <string>
#include <utility>
#include <vector>

#include "courses/error.hpp"

namespace courses::detail {

/// Throws Error(invalid_argument) about one field; the message reads "<field> <problem>".
[[noreturn]] inline void throwInvalid(std::string field, std::string problem) {
  std::string message = field + " " + problem;
  throw Error(ErrorCode::invalid_argument, std::move(message),
              {FieldProblem{std::move(field), std::move(problem)}});
}

/// Collects problems across several fields so a client learns about all of them at once.
class Problems {
 public:
  void add(std::string field, std::string problem) {
    problems_.push_back(FieldProblem{std::move(field), std::move(problem)});
  }
  /// Adds the field problems of a validation error raised by a nested check.
  void add(const Error& error) {
    for (const auto& p : error.fields()) problems_.push_back(p);
    if (error.fields().empty()) problems_.push_back(FieldProblem{"", error.what()});
  }
  bool empty() const noexcept { return problems_.empty(); }
  std::size_t size() const noexcept { return problems_.size(); }

  /// Throws Error(invalid_argument) listing every problem, if there is any.
  void throwIfAny(const std::string& subject) {
    if (problems_.empty()) return;
    std::string message;
    if (problems_.size() == 1) {
      message = problems_.front().field + " " + problems_.front().message;
    } else {
      message = subject + " has " + std::to_string(problems_.size()) + " invalid fields";
    }
    throw Error(ErrorCode::invalid_argument, std::move(message), std::move(problems_));
  }

 private:
  std::vector<FieldProblem> problems_;
};

}  // namespace courses::detail
