// The rows totals are computed from. Most of the work is done by the aggregates kept with the
// writes (migrations/0004_totals.sql): a cohort lying wholly inside the period contributes its
// stored counters, and only the few cohorts cut by an end of the period read raw attendance.

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "courses/error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

// Cohorts whose in-period sessions one statement reads; padded to a power of two (paddedRows).
constexpr std::size_t kCohortChunk = 64;
// Enrolments of a cohort, as usual, for reserving the facts' room up front.
constexpr std::size_t kUsualCohortSize = 25;
// Targets inserted per statement.
constexpr std::size_t kTargetChunk = 32;

// The period as DATETIME bounds of session starts and DATE bounds of cohort dates; an open end
// becomes a date no record has.
struct Bounds {
  std::string from_date;
  std::string to_date;
  std::string from_at;   ///< "YYYY-MM-DD 00:00:00"
  std::string to_at;     ///< "YYYY-MM-DD 23:59:59" (DATETIME columns hold whole seconds)
  std::string from_iso;  ///< the same as Row returns DATETIME columns
  std::string to_iso;
};

Bounds boundsOf(const Period& period) {
  Bounds b;
  b.from_date = period.from.value_or("1000-01-01");
  b.to_date = period.to.value_or("9999-12-31");
  b.from_at = b.from_date + " 00:00:00";
  b.to_at = b.to_date + " 23:59:59";
  b.from_iso = b.from_date + "T00:00:00Z";
  b.to_iso = b.to_date + "T23:59:59Z";
  return b;
}

// The cohorts' part of the WHERE clause and its parameters: programme, track, trainer.
std::string scopeClause(const TotalsScope& scope, std::vector<Param>& params) {
  std::string where = "WHERE 1 = 1";
  if (scope.programme_id) {
    where += " AND co.programme_id = ?";
    params.emplace_back(*scope.programme_id);
  }
  if (scope.track) {
    where += " AND co.track = ?";
    params.emplace_back(*scope.track);
  }
  if (scope.trainer_account_id) {
    where +=
        " AND EXISTS (SELECT 1 FROM cohort_trainers t WHERE t.cohort_id = c.id"
        " AND t.account_id = ?)";
    params.emplace_back(*scope.trainer_account_id);
  }
  return where;
}

enum class Span { without_sessions, inside, cut };

// Counters of one enrolment over the in-period sessions of a cut cohort.
struct InPeriod {
  int attended = 0;
  int marked = 0;
  long long attended_minutes = 0;
};

struct CutCohort {
  std::set<Id> sessions;  ///< its sessions in the period
  int delivered = 0;      ///< of which someone was present or late
};

// Reads the in-period sessions and marks of cohorts cut by an end of the period. Marks of
// enrolments of other cohorts are kept apart by the cohort in the key (the totals views ignore
// them, and so does the lookup in facts()).
void readCutCohorts(Tx& tx, const std::vector<Id>& cohort_ids, const Bounds& bounds,
                    std::map<Id, CutCohort>& cohorts,
                    std::map<std::pair<Id, Id>, InPeriod>& enrolments) {
  for (std::size_t begin = 0; begin < cohort_ids.size(); begin += kCohortChunk) {
    const std::size_t end = std::min(cohort_ids.size(), begin + kCohortChunk);
    const std::size_t rows = paddedRows(end - begin);
    std::vector<Param> params;
    params.reserve(rows + 2);
    for (std::size_t i = 0; i < rows; ++i)
      params.emplace_back(cohort_ids[std::min(begin + i, end - 1)]);
    params.emplace_back(bounds.from_at);
    params.emplace_back(bounds.to_at);
    for (const Row& row :
         tx.query("SELECT s.cohort_id, s.id, s.duration_minutes, s.attended_marks,"
                  " a.enrolment_id, a.status FROM sessions s"
                  " LEFT JOIN attendance a ON a.session_id = s.id"
                  " WHERE s.cohort_id IN (" +
                      repeatRows("?", rows) +
                      ") AND s.cancelled_at IS NULL AND s.starts_at >= ? AND s.starts_at <= ?",
                  params)) {
      const Id cohort_id = row.int64(0);
      CutCohort& cohort = cohorts[cohort_id];
      if (cohort.sessions.insert(row.int64(1)).second && row.int64(3) > 0) ++cohort.delivered;
      if (row.isNull(4)) continue;
      InPeriod& counters = enrolments[{cohort_id, row.int64(4)}];
      const AttendanceStatus status =
          storedEnum(attendanceStatusFromString(row.text(5)), "attendance.status");
      ++counters.marked;
      if (status == AttendanceStatus::present || status == AttendanceStatus::late) {
        ++counters.attended;
        counters.attended_minutes += row.int64(2);
      }
    }
  }
}

std::optional<std::string> trackColumn(const std::string& track) {
  if (track.empty()) return std::nullopt;
  return track;
}

std::vector<Target> readTargets(Tx& tx, Id programme_id) {
  std::vector<Target> out;
  for (const Row& row : tx.query("SELECT measure, track, value FROM programme_targets"
                                 " WHERE programme_id = ?",
                                 {programme_id})) {
    Target t;
    t.measure = storedEnum(measureFromString(row.text(0)), "programme_targets.measure");
    t.track = trackColumn(row.text(1));
    t.value = row.int64(2);
    out.push_back(std::move(t));
  }
  // Measures in their declared order; within one, the whole programme ('' ) first.
  std::sort(out.begin(), out.end(), [](const Target& a, const Target& b) {
    if (a.measure != b.measure) return a.measure < b.measure;
    return a.track.value_or("") < b.track.value_or("");
  });
  return out;
}

}  // namespace

TotalsFacts SqlTotalsRepository::facts(const TotalsScope& scope) {
  const Bounds bounds = boundsOf(scope.period);
  std::vector<Param> scope_params;
  const std::string where = scopeClause(scope, scope_params);

  return runner_.snapshot([&](Tx& tx) {
    TotalsFacts facts;

    static const std::string all_programmes = programmeSelect("ORDER BY id");
    static const std::string one_programme = programmeSelect("WHERE id = ?");
    for (const Row& row : scope.programme_id ? tx.query(one_programme, {*scope.programme_id})
                                             : tx.query(all_programmes)) {
      facts.programmes.push_back(programmeFrom(row));
    }
    if (facts.programmes.empty()) return facts;
    std::map<Id, std::size_t> programme_index;
    for (std::size_t i = 0; i < facts.programmes.size(); ++i) {
      programme_index[facts.programmes[i].id] = i;
    }
    for (const Row& row :
         tx.query("SELECT programme_id, name_kk, name_ru, name_en FROM programme_organisations"
                  " ORDER BY programme_id, position")) {
      if (const auto found = programme_index.find(row.int64(0)); found != programme_index.end()) {
        facts.programmes[found->second].organisations.push_back(
            {row.text(1), row.text(2), row.text(3)});
      }
    }

    {
      std::string course_where = "WHERE 1 = 1";
      std::vector<Param> params;
      if (scope.programme_id) {
        course_where += " AND programme_id = ?";
        params.emplace_back(*scope.programme_id);
      }
      if (scope.track) {
        course_where += " AND track = ?";
        params.emplace_back(*scope.track);
      }
      for (const Row& row : tx.query(courseSelect(course_where + " ORDER BY id"), params)) {
        facts.courses.push_back(courseFrom(row));
      }
    }

    static const std::string localities = localitySelect("ORDER BY id");
    for (const Row& row : tx.query(localities)) facts.localities.push_back(localityFrom(row));

    // Cohorts whose sessions (or, without sessions, dates) overlap the period.
    std::vector<Param> cohort_params = scope_params;
    cohort_params.insert(cohort_params.end(),
                         {bounds.to_at, bounds.from_at, bounds.to_date, bounds.from_date});
    std::vector<Span> spans;
    std::vector<Id> cut_ids;
    for (const Row& row :
         tx.query("SELECT c.id, c.course_id, c.locality_id, c.place, c.starts_on, c.ends_on,"
                  " c.session_count, c.first_session_at, c.last_session_at, c.delivered_sessions"
                  " FROM courses co JOIN cohorts c ON c.course_id = co.id " +
                      where +
                      " AND ((c.session_count > 0 AND c.first_session_at <= ?"
                      " AND c.last_session_at >= ?)"
                      " OR (c.session_count = 0 AND c.starts_on <= ? AND c.ends_on >= ?))"
                      " ORDER BY c.id",
                  cohort_params)) {
      CohortFact c;
      c.id = row.int64(0);
      c.course_id = row.int64(1);
      c.locality_id = row.int64(2);
      c.place = row.text(3);
      c.starts_on = row.text(4);
      c.ends_on = row.text(5);
      c.session_count = row.int32(6);
      if (c.session_count == 0) {
        c.completes_in_period = bounds.from_date <= c.ends_on && c.ends_on <= bounds.to_date;
        spans.push_back(Span::without_sessions);
      } else if (bounds.from_iso <= row.text(7) && row.text(8) <= bounds.to_iso) {
        // Every session, the last one too, lies in the period.
        c.sessions_delivered_in_period = row.int32(9);
        c.completes_in_period = true;
        spans.push_back(Span::inside);
      } else {
        c.completes_in_period = bounds.from_iso <= row.text(8) && row.text(8) <= bounds.to_iso;
        spans.push_back(Span::cut);
        cut_ids.push_back(c.id);
      }
      facts.cohorts.push_back(std::move(c));
    }

    std::map<Id, CutCohort> cut;
    std::map<std::pair<Id, Id>, InPeriod> cut_marks;
    readCutCohorts(tx, cut_ids, bounds, cut, cut_marks);
    // A cut cohort whose sessions all fall outside the period (before and after it) has no session
    // in it, and so no place in the totals.
    {
      std::size_t kept = 0;
      for (std::size_t i = 0; i < facts.cohorts.size(); ++i) {
        if (spans[i] == Span::cut) {
          const auto found = cut.find(facts.cohorts[i].id);
          if (found == cut.end()) continue;
          facts.cohorts[i].sessions_delivered_in_period = found->second.delivered;
        }
        if (kept != i) {
          facts.cohorts[kept] = std::move(facts.cohorts[i]);
          spans[kept] = spans[i];
        }
        ++kept;
      }
      facts.cohorts.resize(kept);
      spans.resize(kept);
    }
    if (facts.cohorts.empty()) return facts;

    std::unordered_map<Id, Span> cohort_span;
    cohort_span.reserve(facts.cohorts.size());
    for (std::size_t i = 0; i < facts.cohorts.size(); ++i) {
      cohort_span.emplace(facts.cohorts[i].id, spans[i]);
    }

    // One primary-key range of enrolment_facts (a join with the cohorts would cost far more than
    // filtering by cohort here).
    static const std::string enrolments_sql =
        "SELECT enrolment_id, participant_id, cohort_id, gender, birth_year, locality_id,"
        " affiliation, vulnerable, attended, excused, marked, attended_minutes, certified, waived"
        " FROM enrolment_facts ";
    static const std::string one_programme_enrolments = enrolments_sql + "WHERE programme_id = ?";
    // Hundreds of thousands of rows: visited as they arrive rather than held, into a vector
    // reserved for cohorts of a usual size (growing it step by step cost more than the read).
    facts.enrolments.reserve(facts.cohorts.size() * kUsualCohortSize);
    const auto visit = [&](const Row& row) {
      const Id cohort_id = row.int64(2);
      const auto span = cohort_span.find(cohort_id);
      if (span == cohort_span.end()) return;
      EnrolmentFact& e = facts.enrolments.emplace_back();
      e.enrolment_id = row.int64(0);
      e.participant_id = row.int64(1);
      e.cohort_id = cohort_id;
      e.snapshot.gender = storedEnum(genderFromString(row.text(3)), "enrolment_facts.gender");
      e.snapshot.birth_year = row.int32(4);
      e.snapshot.locality_id = row.int64(5);
      e.snapshot.affiliation =
          storedEnum(affiliationFromString(row.text(6)), "enrolment_facts.affiliation");
      e.snapshot.vulnerable = vulnerableColumn(row, 7);
      e.attended_total = row.int32(8);
      e.excused_total = row.int32(9);
      e.certified = row.boolean(12);
      e.waived = row.boolean(13);
      switch (span->second) {
        case Span::without_sessions:
          break;
        case Span::inside:
          e.attended_in_period = e.attended_total;
          e.marked_in_period = row.int32(10);
          e.attended_minutes_in_period = row.int64(11);
          break;
        case Span::cut:
          if (const auto found = cut_marks.find({cohort_id, e.enrolment_id});
              found != cut_marks.end()) {
            e.attended_in_period = found->second.attended;
            e.marked_in_period = found->second.marked;
            e.attended_minutes_in_period = found->second.attended_minutes;
          }
          break;
      }
    };
    if (scope.programme_id) {
      const Param programme[] = {*scope.programme_id};
      tx.each(one_programme_enrolments, programme, visit);
    } else {
      tx.each(enrolments_sql, {}, visit);
    }
    return facts;
  });
}

std::vector<Target> SqlTotalsRepository::targets(Id programme_id) {
  return runner_.read([&](Tx& tx) { return readTargets(tx, programme_id); });
}

std::vector<Target> SqlTotalsRepository::replaceTargets(Id programme_id,
                                                        const std::vector<Target>& targets) {
  return runner_.run([&](Tx& tx) {
    // The programme's row lock makes concurrent replacements take turns.
    if (!tx.queryOne("SELECT id FROM programmes WHERE id = ? FOR UPDATE", {programme_id})) {
      throw Error(ErrorCode::not_found, "programme not found");
    }
    tx.execute("DELETE FROM programme_targets WHERE programme_id = ?", {programme_id});
    std::vector<std::string> measures;
    measures.reserve(targets.size());
    for (const Target& t : targets) measures.emplace_back(toString(t.measure));
    for (std::size_t begin = 0; begin < targets.size(); begin += kTargetChunk) {
      const std::size_t end = std::min(targets.size(), begin + kTargetChunk);
      std::vector<Param> params;
      params.reserve((end - begin) * 4);
      for (std::size_t i = begin; i < end; ++i) {
        params.insert(params.end(),
                      {programme_id, measures[i],
                       targets[i].track ? Param(*targets[i].track) : Param(""), targets[i].value});
      }
      tx.execute("INSERT INTO programme_targets (programme_id, measure, track, value) VALUES " +
                     repeatRows("(?, ?, ?, ?)", end - begin),
                 params);
    }
    return readTargets(tx, programme_id);
  });
}

}  // namespace courses::mariadb
