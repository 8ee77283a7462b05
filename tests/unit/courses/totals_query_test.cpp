#include "courses/totals_query.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "courses/error.hpp"

namespace courses {
namespace {

/// The parameter and message of the refusal of `parameters`, or {"", ""} when there is none.
std::pair<std::string, std::string> refusal(const std::vector<TotalsParameter>& parameters,
                                            bool with_language = false) {
  try {
    parseTotalsParameters(parameters, with_language);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
    if (error.fields().empty()) return {"", error.what()};
    return {error.fields().front().field, error.fields().front().message};
  }
  return {"", ""};
}

TEST(TotalsQueryParse, ReadsEveryParameter) {
  const TotalsParameters read = parseTotalsParameters({{"programme", "LSG-EKZ"},
                                                       {"from", "2017-02-01"},
                                                       {"to", "2020-01-31"},
                                                       {"track", "inclusive_planning"},
                                                       {"by", "gender,district"},
                                                       {"age_bands", "14,36,60"},
                                                       {"suppress", "7"},
                                                       {"lang", "kk"}},
                                                      true);
  EXPECT_EQ(read.query.period.from, std::optional<Date>("2017-02-01"));
  EXPECT_EQ(read.query.period.to, std::optional<Date>("2020-01-31"));
  EXPECT_EQ(read.query.track, std::optional<std::string>("inclusive_planning"));
  EXPECT_EQ(read.query.by, (std::vector<Dimension>{Dimension::gender, Dimension::district}));
  EXPECT_EQ(read.query.age_bounds, (std::vector<int>{14, 36, 60}));
  EXPECT_EQ(read.query.suppress_below, 7);
  EXPECT_EQ(read.language, std::optional<Language>(Language::kk));
  ASSERT_TRUE(read.programme);
  EXPECT_EQ(read.programme->code, std::optional<std::string>("LSG-EKZ"));
  EXPECT_FALSE(read.programme->id);
  EXPECT_FALSE(read.query.programme_id);  // storage resolves the programme
}

TEST(TotalsQueryParse, NothingGivenIsTheWholeOpenQuery) {
  const TotalsParameters read = parseTotalsParameters({}, false);
  EXPECT_FALSE(read.programme);
  EXPECT_FALSE(read.language);
  EXPECT_TRUE(read.query.by.empty());
  EXPECT_EQ(read.query.suppress_below, 0);
}

TEST(TotalsQueryParse, SuppressionDefaultsToFiveAndCanBeOff) {
  EXPECT_EQ(parseTotalsParameters({{"suppress", ""}}, false).query.suppress_below, 5);
  EXPECT_EQ(parseTotalsParameters({{"suppress", "true"}}, false).query.suppress_below, 5);
  EXPECT_EQ(parseTotalsParameters({{"suppress", "false"}}, false).query.suppress_below, 0);
  EXPECT_EQ(parseTotalsParameters({{"suppress", "0"}}, false).query.suppress_below, 0);
  EXPECT_EQ(parseTotalsParameters({{"suppress", "1000"}}, false).query.suppress_below, 1000);
  for (const char* bad : {"1", "1001", "many", "05", "-3"}) {
    EXPECT_EQ(refusal({{"suppress", bad}}).first, "suppress") << bad;
  }
}

TEST(TotalsQueryParse, NamesAreKnownAndGivenOnce) {
  EXPECT_EQ(refusal({{"colour", "red"}}),
            std::make_pair(std::string("colour"),
                           std::string("is not a parameter of this route (known: programme, from, "
                                       "to, track, by, age_bands, suppress)")));
  EXPECT_EQ(refusal({{"lang", "kk"}}).first, "lang");  // only where the caller reads it
  EXPECT_EQ(refusal({{"lang", "de"}}, true),
            std::make_pair(std::string("lang"), std::string("must be kk, ru or en")));
  EXPECT_EQ(refusal({{"by", "gender"}, {"by", "track"}}),
            std::make_pair(std::string("by"), std::string("must be given at most once")));
  // A name that cannot be echoed is refused without one.
  const auto unprintable = refusal({{"a\nb", "1"}});
  EXPECT_EQ(unprintable.first, "");
  EXPECT_NE(unprintable.second.find("a query parameter is not a parameter"), std::string::npos);
  // Names are checked before values.
  EXPECT_EQ(refusal({{"from", "nonsense"}, {"colour", "red"}}).first, "colour");
}

TEST(TotalsQueryParse, ValuesAreRefusedNamingTheirParameter) {
  EXPECT_EQ(refusal({{"from", "2017-13-01"}}),
            std::make_pair(std::string("from"), std::string("must be a date YYYY-MM-DD")));
  EXPECT_EQ(refusal({{"from", "2019-01-01"}, {"to", "2018-01-01"}}),
            std::make_pair(std::string("to"), std::string("must not be before \"from\"")));
  const std::string too_long(41, 'a');
  for (const std::string& bad :
       {std::string(), std::string("Inclusive"), std::string("a-b"), too_long}) {
    EXPECT_EQ(refusal({{"track", bad}}).first, "track") << bad;
  }
  EXPECT_EQ(refusal({{"by", "colour"}}).first, "by");
  EXPECT_EQ(refusal({{"by", "gender,gender"}}).second, "must not name a dimension twice");
  EXPECT_EQ(refusal({{"by", "gender,district,track"}}).second, "must name at most two dimensions");
  for (const char* bad : {"14,x", "36,14", "0", "121", "014", "1,2,3,4,5,6,7,8,9,10,11,12,13"}) {
    EXPECT_EQ(refusal({{"age_bands", bad}}).first, "age_bands") << bad;
  }
  EXPECT_EQ(parseTotalsParameters({{"age_bands", "1,2,3,4,5,6,7,8,9,10,11,12"}}, false)
                .query.age_bounds.size(),
            12u);
}

TEST(TotalsQueryParse, AProgrammeIsAnIdOrACodeAndIsReadLast) {
  EXPECT_EQ(parseProgrammeRef("12").id, std::optional<Id>(12));
  EXPECT_EQ(parseProgrammeRef("9007199254740992").id, std::optional<Id>(kMaxTotalsProgrammeId));
  EXPECT_EQ(parseProgrammeRef("LSG-EKZ").code, std::optional<std::string>("LSG-EKZ"));
  for (const char* bad : {"0", "012", "9007199254740993", "", "\xC0\xAF"}) {
    EXPECT_EQ(refusal({{"programme", bad}}).first, "programme") << bad;
  }
  EXPECT_EQ(refusal({{"programme", std::string(65, 'P')}}).second,
            "must be a programme id or code");
  EXPECT_EQ(refusal({{"programme", "0"}, {"track", "X"}}).first, "track");
}

}  // namespace
}  // namespace courses
