#pragma once
// The words of the totals documents in Kazakh, Russian and English (private to plugin/src/totals):
// what the tables, the CSV/XLSX notes and the PDF summary say besides the report's own labels.

#include <string>
#include <string_view>
#include <vector>

#include "courses/model.hpp"
#include "courses/totals.hpp"

namespace plugin::totals::words {

using plugin::totals::pick;

/// Fixed words of the documents.
struct Words {
  const char* total;            ///< the grand total row: "Total"
  const char* all;              ///< a dimension column of a subtotal row: "All"
  const char* all_programmes;   ///< the title when no one programme was asked for
  const char* totals;           ///< the table of the grand total alone, and the sheet's name
  const char* totals_by;        ///< "Totals by %s"; %s is replaced by the dimensions' labels
  const char* targets;          ///< the targets table and its sheet
  const char* measure;          ///< column: which measure a target is for
  const char* whole_programme;  ///< a target's track when it is for the whole programme
  const char* target;
  const char* actual;
  const char* progress;
  const char* period;  ///< "Period"
  const char* all_time;
  const char* whole_period;  ///< "the whole programme, %s"; %s is its dates
  const char* open_start;    ///< an open start without the programme's dates
  const char* open_end;
  const char* distinct_people;     ///< note: each person is counted once
  const char* vulnerable_overlap;  ///< note: vulnerable groups overlap
  const char* rows_overlap;        ///< note: rows need not add up to the total
  const char* bars_overlap;        ///< note: a chart's bars need not add up to the total
  const char* sessions_not_given;  ///< note: no sessions in rows that describe people
  const char* hidden_under;        ///< note: "Values under %s people are hidden (shown as <%s)."
  const char* generated;           ///< "Generated: %s"
  const char* other;               ///< a chart's folded bar: "Other"
  const char* trained_by_track;
  const char* trained_by_gender;
  const char* trained_by_district;
};
const Words& of(courses::Language language);

/// `pattern` with every "%s" replaced by `text`.
std::string fill(std::string_view pattern, std::string_view text);

/// "<5": how a hidden value is written.
std::string hidden(int below);

/// The notes for figures of `report` broken down by `dimensions` (a subset of its query's): each
/// person counted once; vulnerable groups overlap; rows need not add up; no sessions in rows that
/// describe people; values under k hidden (not for the grand total alone, which is never hidden).
std::vector<std::string> notes(const courses::TotalsReport& report,
                               const std::vector<courses::Dimension>& dimensions,
                               courses::Language language);

}  // namespace plugin::totals::words
