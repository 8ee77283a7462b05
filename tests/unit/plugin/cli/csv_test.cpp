#include "plugin/cli/csv.hpp"

#include <gtest/gtest.h>

namespace plugin::cli {
namespace {

using Fields = std::vector<std::string>;

TEST(Csv, ReadsRecordsAndTheLinesTheyStartOn) {
  const auto records = parseCsv("a,b,c\n1,2,3\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(records[0].line, 1u);
  EXPECT_EQ(records[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(records[1].line, 2u);
}

TEST(Csv, LastRecordNeedsNoLineBreak) {
  const auto records = parseCsv("a,b\nc,d");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (Fields{"c", "d"}));
}

TEST(Csv, DropsAUtf8ByteOrderMark) {
  const auto records = parseCsv(
      "\xEF\xBB\xBF"
      "full_name,gender\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"full_name", "gender"}));
}

TEST(Csv, KeepsABomThatIsNotAtTheStart) {
  const auto records = parseCsv(
      "a,\xEF\xBB\xBF"
      "b\n");
  EXPECT_EQ(records[0].fields[1],
            "\xEF\xBB\xBF"
            "b");
}

TEST(Csv, QuotedFieldsHoldCommasAndEscapedQuotes) {
  const auto records = parseCsv("\"Ахметова, Әсел\",\"say \"\"hi\"\"\",\"\"\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"Ахметова, Әсел", "say \"hi\"", ""}));
}

TEST(Csv, AcceptsCrlfAndLfLineBreaks) {
  const auto records = parseCsv("a,b\r\nc,d\ne,f\r\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(records[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(records[2].fields, (Fields{"e", "f"}));
  EXPECT_EQ(records[2].line, 3u);
}

TEST(Csv, QuotedFieldsHoldLineBreaksAndLaterLinesAreCountedRight) {
  const auto records = parseCsv("a,\"line one\nline two\r\nline three\"\nnext,row\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields[1], "line one\nline two\r\nline three");
  EXPECT_EQ(records[0].line, 1u);
  EXPECT_EQ(records[1].line, 4u);
  EXPECT_EQ(records[1].fields, (Fields{"next", "row"}));
}

TEST(Csv, KeepsEmptyFieldsAndSkipsEmptyLines) {
  const auto records = parseCsv("a,,c,\n\n\r\n,\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "", "c", ""}));
  EXPECT_EQ(records[1].fields, (Fields{"", ""}));
  EXPECT_EQ(records[1].line, 4u);
}

TEST(Csv, AQuotedEmptyFieldAloneIsARecord) {
  const auto records = parseCsv("\"\"\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{""}));
}

TEST(Csv, EmptyTextHasNoRecords) {
  EXPECT_TRUE(parseCsv("").empty());
  EXPECT_TRUE(parseCsv("\xEF\xBB\xBF").empty());
}

std::size_t errorLine(std::string_view text) {
  try {
    parseCsv(text);
  } catch (const CsvError& e) {
    EXPECT_EQ(std::string(e.what()), "line " + std::to_string(e.line()) + ": " + e.reason());
    return e.line();
  }
  ADD_FAILURE() << "no error for: " << text;
  return 0;
}

TEST(Csv, QuoteInsideAnUnquotedFieldIsAnErrorOnItsLine) {
  EXPECT_EQ(errorLine("a,b\nc,d\"e\n"), 2u);
  EXPECT_EQ(errorLine("a,b\nab\"\n"), 2u);
}

TEST(Csv, TextAfterAClosingQuoteIsAnError) {
  EXPECT_EQ(errorLine("a,b\n\"c\"d,e\n"), 2u);
  EXPECT_EQ(errorLine("\"x\ny\" z\n"), 2u);
}

TEST(Csv, UnclosedQuoteNamesTheLineWhereTheFieldStarts) {
  EXPECT_EQ(errorLine("a,b\nc,\"open\nstill open\nand more\n"), 2u);
}

TEST(Csv, LoneCarriageReturnIsAnError) {
  EXPECT_EQ(errorLine("a,b\rc,d\n"), 1u);
  EXPECT_EQ(errorLine("a,b\n\"c\"\rd\n"), 2u);
}

TEST(Csv, OtherSeparatorsWhenTold) {
  const auto records = parseCsv("a;\"b;c\"\n1;2\n", ';');
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a", "b;c"}));
  EXPECT_EQ(parseCsv("a\tb,c\n", '\t')[0].fields, (std::vector<std::string>{"a", "b,c"}));
}

TEST(Csv, TheSeparatorIsTheCandidateTheHeaderUsesMost) {
  EXPECT_EQ(detectDelimiter("a,b,c\n1;2;3;4\n", ",;\t"), ',');
  EXPECT_EQ(detectDelimiter("\xEF\xBB\xBF\r\n\na;b;c\n", ",;\t"), ';');
  EXPECT_EQ(detectDelimiter("\"a,b,c\"\t\"d\"\n", ",;\t"), '\t');  // commas inside quotes
  EXPECT_EQ(detectDelimiter("a;b,c\n", ",;\t"), ',');                  // a tie: the earlier
  EXPECT_EQ(detectDelimiter("name\n", ",;\t"), ',');                   // one column
}

}  // namespace
}  // namespace plugin::cli
