// Dates as certificates print them, for pages outside the PDF (the public verification page).
#include "certificates/content.hpp"

#include <gtest/gtest.h>

namespace certificates {
namespace {

TEST(FormatDateTest, ReadsAsTheCertificateInEachLanguage) {
  EXPECT_EQ(formatDate("2019-03-15", Layout::kk), "2019 жылғы 15 наурыз");
  EXPECT_EQ(formatDate("2019-03-15", Layout::ru), "15 марта 2019 г.");
  EXPECT_EQ(formatDate("2019-03-15", Layout::en), "15 March 2019");
  EXPECT_EQ(formatDate("2019-03-15", Layout::trilingual), "15 March 2019");
}

TEST(FormatDateTest, WhatIsNotADateComesBackAsGiven) {
  EXPECT_EQ(formatDate("2019-02-30", Layout::kk), "2019-02-30");
  EXPECT_EQ(formatDate("soon", Layout::en), "soon");
  EXPECT_EQ(formatDate("", Layout::ru), "");
}

TEST(FormatPeriodTest, OneDayOnceAndTwoDaysWithADash) {
  EXPECT_EQ(formatPeriod("2017-12-11", "2017-12-11", Layout::ru), "11 декабря 2017 г.");
  EXPECT_EQ(formatPeriod("2017-12-11", "2017-12-20", Layout::en),
            "11 December 2017 – 20 December 2017");
  EXPECT_EQ(formatPeriod("2017-12-11", "later", Layout::kk), "2017-12-11 – later");
}

}  // namespace
}  // namespace certificates
