// Integration tests run against a real MariaDB: one uniquely named database for the whole run,
// created and migrated before the first test and dropped after the last. Without a server
// (QATYSU_TEST_DB_URL unset or unreachable) the run fails; it never skips.

#include <gtest/gtest.h>

#include <exception>
#include <iostream>

#include "fixtures.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS();
  try {
    integration::openStorage();
  } catch (const std::exception& error) {
    std::cerr << "[  FAILED  ] integration tests cannot start: " << error.what() << '\n';
    return 1;
  }
  const int result = RUN_ALL_TESTS();
  integration::closeStorage();
  return result;
}
