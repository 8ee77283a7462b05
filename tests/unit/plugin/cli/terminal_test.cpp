#include "plugin/cli/terminal.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "courses/error.hpp"

namespace plugin::cli {
namespace {

TEST(ReadNewPassword, ReadsOneLineFromANonTerminal) {
  std::istringstream in("correct horse battery\r\nsecond line\n");
  std::ostringstream prompts;
  EXPECT_EQ(readNewPassword(in, prompts, false), "correct horse battery");
  EXPECT_TRUE(prompts.str().empty());
}

TEST(ReadNewPassword, FailsOnEmptyInput) {
  std::istringstream in("");
  std::ostringstream prompts;
  EXPECT_THROW(readNewPassword(in, prompts, false), courses::Error);
}

TEST(Progress, PrintsALineEveryThousandItemsWhenNotATerminal) {
  std::ostringstream out;
  Progress progress(out, false, "importing");
  for (std::size_t done = 1; done <= 2500; ++done) progress.update(done, 2500);
  progress.finish();
  EXPECT_EQ(out.str(),
            "importing: 1000 of 2500\nimporting: 2000 of 2500\nimporting: 2500 of 2500\n");
}

TEST(Progress, DrawsABarOnATerminalAndEndsItsLine) {
  std::ostringstream out;
  Progress progress(out, true, "importing");
  for (std::size_t done = 1; done <= 400; ++done) progress.update(done, 400);
  progress.finish();
  const std::string text = out.str();
  EXPECT_NE(text.find("\rimporting ["), std::string::npos);
  EXPECT_NE(text.find("] 400/400"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
}

TEST(Progress, ShortJobsShowNothing) {
  std::ostringstream out;
  Progress progress(out, true, "importing");
  for (std::size_t done = 1; done <= 10; ++done) progress.update(done, 10);
  progress.finish();
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace plugin::cli
