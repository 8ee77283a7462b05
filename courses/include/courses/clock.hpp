#pragma once
// The current UTC time, injectable so that services can be tested at a fixed moment.

#include "courses/model.hpp"

namespace courses {

/// The current UTC year and time, injectable for tests.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;  ///< "YYYY-MM-DDTHH:MM:SSZ"
  int currentYear() const;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

}  // namespace courses
