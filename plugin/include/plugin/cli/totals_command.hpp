#pragma once
// `qatysu totals …` and `qatysu targets …`: an administrator's totals on the command line, the
// upkeep of the aggregates they read, and the programmes' targets.

#include <span>
#include <string>

#include "courses/model.hpp"
#include "plugin/cli/commands.hpp"
#include "plugin/totals/exports.hpp"

namespace plugin::cli {

/// `qatysu totals [--programme CODE|ID] [--from D] [--to D] [--track T] [--by a,b]
/// [--age-bands 14,36,60] [--suppress [K]] [--format table|csv|xlsx|pdf] [--lang kk|ru|en]
/// [--out FILE] [--as LOGIN]`: the report of TotalsService, as a text table (default), CSV, XLSX
/// or the one-page PDF summary, on standard output or in FILE. XLSX and PDF are not written to a
/// terminal. `qatysu totals rebuild` recomputes the aggregates from the raw rows (MariaDB only);
/// `qatysu totals check` counts the rows that differ and exits 1 when any do.
/// Exit 0 done, 1 failed (unknown programme, storage), 2 wrong usage.
int totalsCommand(std::span<const std::string> args, CommandStorage& storage, Console& console);

/// `qatysu targets set --programme CODE|ID --measure M [--track T] --value N [--as LOGIN]`
/// replaces one (measure, track) target of a programme and keeps the others;
/// `qatysu targets list [--programme CODE|ID] [--as LOGIN]` prints the targets with what has been
/// reached so far.
int targetsCommand(std::span<const std::string> args, CommandStorage& storage, Console& console);

/// `table` as aligned plain text for a terminal: its title, the header, a rule, the rows and its
/// notes. Columns are as wide as their widest cell counted in code points (so Cyrillic lines up);
/// columns of numbers are right-aligned, text left-aligned. Counts and percentages are written
/// for people in `language` (plugin::totals::formatCount / formatPercent), decimals with one
/// digit, hidden values as "<k" and missing ones as "–".
std::string formatTextTable(const plugin::totals::Table& table, courses::Language language);

}  // namespace plugin::cli
