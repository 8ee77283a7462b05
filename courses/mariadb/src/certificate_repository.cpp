#include <mysqld_error.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <unordered_set>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "db_error.hpp"
#include "repositories.hpp"
#include "values.hpp"

namespace courses::mariadb {
namespace {

// Lists of texts in one column: every item ends with U+001E (so an empty list and a list of one
// empty text differ) and an organisation's three names are separated by U+001F. Certificate
// texts are valid UTF-8 without control characters, so neither can occur inside an item.
constexpr char kItemEnd = '\x1E';
constexpr char kNameSeparator = '\x1F';

// Enrolments checked for a valid certificate per statement (statements are cached per size).
constexpr std::size_t kChunkRows = 100;

void requireListable(std::string_view text, std::string_view what) {
  if (text.find(kItemEnd) != std::string_view::npos ||
      text.find(kNameSeparator) != std::string_view::npos) {
    throw Error(ErrorCode::invalid_argument, std::string(what) + " holds a control character");
  }
}

std::string encodeTrainers(const std::vector<std::string>& trainers) {
  std::string out;
  for (const std::string& name : trainers) {
    requireListable(name, "a trainer's name");
    out += name;
    out += kItemEnd;
  }
  return out;
}

std::string encodeOrganisations(const std::vector<LocalizedText>& organisations) {
  std::string out;
  for (const LocalizedText& name : organisations) {
    for (const std::string* text : {&name.kk, &name.ru, &name.en}) {
      requireListable(*text, "an organisation's name");
    }
    out += name.kk;
    out += kNameSeparator;
    out += name.ru;
    out += kNameSeparator;
    out += name.en;
    out += kItemEnd;
  }
  return out;
}

std::vector<std::string> decodeItems(std::string_view text, std::string_view column) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto end = text.find(kItemEnd);
    if (end == std::string_view::npos) unknownStoredValue(column);
    out.emplace_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  return out;
}

std::vector<LocalizedText> decodeOrganisations(std::string_view text) {
  std::vector<LocalizedText> out;
  for (const std::string& item : decodeItems(text, "certificates.organisations")) {
    const auto first = item.find(kNameSeparator);
    const auto second =
        first == std::string::npos ? std::string::npos : item.find(kNameSeparator, first + 1);
    if (second == std::string::npos || item.find(kNameSeparator, second + 1) != std::string::npos) {
      unknownStoredValue("certificates.organisations");
    }
    out.push_back({item.substr(0, first), item.substr(first + 1, second - first - 1),
                   item.substr(second + 1)});
  }
  return out;
}

constexpr std::string_view kColumns =
    "SELECT id, serial, verification_token, enrolment_id, participant_id, cohort_id, course_id,"
    " programme_id, language, full_name, track, title_kk, title_ru, title_en, hours, starts_on,"
    " ends_on, place, locality_kk, locality_ru, locality_en, sessions_attended, sessions_total,"
    " trainers, organisations, issuer_kk, issuer_ru, issuer_en, waiver_reason, status,"
    " revoked_reason, revoked_at, revoked_by, issued_by, issued_at, signature, etag, pdf_size"
    " FROM certificates ";

std::string select(std::string_view tail) {
  return std::string(kColumns) + std::string(tail);
}

Certificate certificateFrom(const Row& row) {
  Certificate c;
  c.id = row.int64(0);
  c.serial = row.text(1);
  c.verification_token = row.text(2);
  c.enrolment_id = row.int64(3);
  c.participant_id = row.int64(4);
  c.cohort_id = row.int64(5);
  c.course_id = row.int64(6);
  c.programme_id = row.int64(7);
  c.language = storedEnum(certificateLanguageFromString(row.text(8)), "certificates.language");
  c.full_name = row.text(9);
  c.track = row.text(10);
  c.course_title = {row.text(11), row.text(12), row.text(13)};
  c.hours = row.real(14);
  c.starts_on = row.text(15);
  c.ends_on = row.text(16);
  c.place = row.text(17);
  c.locality = {row.text(18), row.text(19), row.text(20)};
  c.sessions_attended = row.int32(21);
  c.sessions_total = row.int32(22);
  c.trainers = decodeItems(row.text(23), "certificates.trainers");
  c.organisations = decodeOrganisations(row.text(24));
  c.issuer = {row.text(25), row.text(26), row.text(27)};
  c.waiver_reason = row.optText(28);
  c.status = storedEnum(certificateStatusFromString(row.text(29)), "certificates.status");
  c.revoked_reason = row.optText(30);
  c.revoked_at = row.optText(31);
  c.revoked_by = row.optInt64(32);
  c.issued_by = accountColumn(row, 33);
  c.issued_at = row.text(34);
  c.signature = row.text(35);
  c.etag = row.text(36);
  c.pdf_size = row.int64(37);
  return c;
}

std::optional<Certificate> findWhere(Tx& tx, const std::string& sql, const Param& key) {
  auto row = tx.queryOne(sql, {key});
  if (!row) return std::nullopt;
  return certificateFrom(*row);
}

// The enrolments among `enrolment_ids` that hold a valid certificate now, or whose person is
// erased (courses/data_rights.hpp: no certificate is made for a name that is gone; theirs count
// as issued, migration 0012).
std::unordered_set<Id> holdingValid(Tx& tx, const std::vector<Id>& enrolment_ids) {
  std::unordered_set<Id> out;
  for (std::size_t begin = 0; begin < enrolment_ids.size(); begin += kChunkRows) {
    const std::size_t end = std::min(enrolment_ids.size(), begin + kChunkRows);
    std::vector<Param> params(enrolment_ids.begin() + static_cast<std::ptrdiff_t>(begin),
                              enrolment_ids.begin() + static_cast<std::ptrdiff_t>(end));
    for (const Row& row : tx.query("SELECT counted_enrolment_id FROM certificates"
                                   " WHERE counted_enrolment_id IN (" +
                                       repeatRows("?", end - begin) + ")",
                                   params)) {
      out.insert(row.int64(0));
    }
    for (const Row& row : tx.query("SELECT e.id FROM enrolments e JOIN participants p"
                                   " ON p.id = e.participant_id WHERE p.erased_at IS NOT NULL"
                                   " AND e.id IN (" +
                                       repeatRows("?", end - begin) + ")",
                                   params)) {
      out.insert(row.int64(0));
    }
  }
  return out;
}

// The enrolments among `enrolment_ids` that are withdrawn now (they get no certificate). Read with
// a shared lock, so a withdrawal either waits for this issue (and then finds its certificate) or
// is seen here.
std::unordered_set<Id> withdrawnAmong(Tx& tx, const std::vector<Id>& enrolment_ids) {
  std::unordered_set<Id> out;
  for (std::size_t begin = 0; begin < enrolment_ids.size(); begin += kChunkRows) {
    const std::size_t end = std::min(enrolment_ids.size(), begin + kChunkRows);
    std::vector<Param> params(enrolment_ids.begin() + static_cast<std::ptrdiff_t>(begin),
                              enrolment_ids.begin() + static_cast<std::ptrdiff_t>(end));
    for (const Row& row : tx.query("SELECT id, withdrawn_at IS NOT NULL FROM enrolments"
                                   " WHERE id IN (" +
                                       repeatRows("?", end - begin) + ") LOCK IN SHARE MODE",
                                   params)) {
      if (row.int32(1) != 0) out.insert(row.int64(0));
    }
  }
  return out;
}

// Sets the totals' certificate state of the enrolments just issued a certificate: certified, and
// waived when issued with a waiver. One statement per chunk, rows locked in enrolment order (as
// an attendance PUT locks them), so the two never deadlock.
void markCertified(Tx& tx, const std::vector<Certificate>& issued) {
  std::vector<std::pair<Id, bool>> rows;
  rows.reserve(issued.size());
  for (const Certificate& c : issued)
    rows.emplace_back(c.enrolment_id, c.waiver_reason.has_value());
  std::sort(rows.begin(), rows.end());
  for (std::size_t begin = 0; begin < rows.size(); begin += kChunkRows) {
    const std::size_t end = std::min(rows.size(), begin + kChunkRows);
    const std::size_t count = paddedRows(end - begin);
    const auto row = [&](std::size_t i) { return rows[std::min(begin + i, end - 1)]; };
    std::vector<Param> params;
    params.reserve(count * 3);
    for (std::size_t i = 0; i < count; ++i) {
      params.insert(params.end(), {row(i).first, row(i).second ? 1 : 0});
    }
    for (std::size_t i = 0; i < count; ++i) params.emplace_back(row(i).first);
    tx.execute(
        "UPDATE enrolment_facts SET certified = 1, waived = " + caseRows("enrolment_id", count) +
            " WHERE enrolment_id IN (" + repeatRows("?", count) + ") ORDER BY enrolment_id",
        params);
  }
}

}  // namespace

std::vector<Certificate> SqlCertificateRepository::issue(const std::vector<Certificate>& drafts,
                                                         const std::vector<std::string>& series,
                                                         const Maker& make) {
  if (drafts.size() != series.size()) {
    throw Error(ErrorCode::invalid_argument, "every certificate draft needs its serial series");
  }
  if (drafts.empty()) return {};
  struct Lists {
    std::string trainers;
    std::string organisations;
  };
  std::vector<Lists> lists;
  lists.reserve(drafts.size());
  for (const Certificate& draft : drafts) {
    lists.push_back({encodeTrainers(draft.trainers), encodeOrganisations(draft.organisations)});
  }
  std::vector<Id> enrolment_ids;
  enrolment_ids.reserve(drafts.size());
  for (const Certificate& draft : drafts) enrolment_ids.push_back(draft.enrolment_id);

  // Everything below runs again when the transaction is retried: numbers, artefacts and rows are
  // all made anew, so a retry neither skips nor repeats a number.
  return runner_.run([&](Tx& tx) {
    // Lock every series' counter first, in sorted order, so that two batches touching the same
    // series wait for each other instead of deadlocking. INSERT … ON DUPLICATE KEY UPDATE takes
    // the row's exclusive lock at once (INSERT IGNORE would take a shared one, and two
    // transactions upgrading shared locks on one row deadlock); the SELECT then reads it.
    std::map<std::string, long long> last;
    for (const std::string& name : series) last.emplace(name, 0);
    for (auto& [name, number] : last) {
      tx.execute(
          "INSERT INTO certificate_series (series, last_number) VALUES (?, 0)"
          " ON DUPLICATE KEY UPDATE last_number = last_number",
          {name});
      number = tx.queryOne("SELECT last_number FROM certificate_series WHERE series = ? FOR UPDATE",
                           {name})
                   .value()
                   .int64(0);
    }
    const std::map<std::string, long long> first = last;

    // Read after the series locks: an issue of the same enrolment that committed meanwhile (it
    // numbers in the same series) is seen here and skipped.
    std::unordered_set<Id> holding = holdingValid(tx, enrolment_ids);
    // A withdrawn enrolment is skipped as one that holds a certificate is.
    holding.merge(withdrawnAmong(tx, enrolment_ids));

    std::optional<std::string> now;
    std::vector<Certificate> issued;
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      if (!holding.insert(drafts[i].enrolment_id).second) continue;
      Certificate c = drafts[i];
      c.id = 0;
      c.status = CertificateStatus::valid;
      c.revoked_reason.reset();
      c.revoked_at.reset();
      c.revoked_by.reset();
      c.serial = formatSerial(series[i], ++last[series[i]]);
      if (c.issued_at.empty()) {
        if (!now) now = tx.queryOne("SELECT UTC_TIMESTAMP()").value().text(0);
        c.issued_at = *now;
      }
      const std::string issued_at = sqlDateTime(c.issued_at);

      CertificateArtifacts artifacts = make(c);
      c.verification_token = std::move(artifacts.verification_token);
      c.signature = std::move(artifacts.signature);
      c.etag = std::move(artifacts.etag);
      c.pdf_size = static_cast<long long>(artifacts.pdf.size());

      const Param values[] = {c.serial,
                              c.verification_token,
                              c.enrolment_id,
                              c.participant_id,
                              c.cohort_id,
                              c.course_id,
                              c.programme_id,
                              toString(c.language),
                              c.full_name,
                              c.track,
                              c.course_title.kk,
                              c.course_title.ru,
                              c.course_title.en,
                              c.hours,
                              c.starts_on,
                              c.ends_on,
                              c.place,
                              c.locality.kk,
                              c.locality.ru,
                              c.locality.en,
                              c.sessions_attended,
                              c.sessions_total,
                              lists[i].trainers,
                              lists[i].organisations,
                              c.issuer.kk,
                              c.issuer.ru,
                              c.issuer.en,
                              c.waiver_reason,
                              toString(c.status),
                              accountParam(c.issued_by),
                              issued_at,
                              c.signature,
                              c.etag,
                              c.pdf_size};
      try {
        c.id = static_cast<Id>(
            tx.execute(
                  "INSERT INTO certificates (serial, verification_token, enrolment_id,"
                  " participant_id, cohort_id, course_id, programme_id, language, full_name, track,"
                  " title_kk, title_ru, title_en, hours, starts_on, ends_on, place, locality_kk,"
                  " locality_ru, locality_en, sessions_attended, sessions_total, trainers,"
                  " organisations, issuer_kk, issuer_ru, issuer_en, waiver_reason, status,"
                  " issued_by, issued_at, signature, etag, pdf_size) VALUES (" +
                      repeatRows("?", std::size(values)) + ")",
                  values)
                .insert_id);
      } catch (const DbError& error) {
        // The enrolment's certificate was issued under another series (its cohort's dates or
        // course changed in between): the next attempt sees it and skips the draft.
        if (error.code() == ER_DUP_ENTRY && error.key() == "uq_certificates_valid_enrolment") {
          throw RetryTransaction();
        }
        throw;
      }
      tx.execute("INSERT INTO certificate_files (certificate_id, pdf) VALUES (?, ?)",
                 {c.id, Param::bytes(artifacts.pdf)});
      tx.execute(
          "INSERT INTO certificate_audit (certificate_id, action, account_id, at, reason)"
          " VALUES (?, ?, ?, ?, ?)",
          {c.id, c.waiver_reason ? "issued_with_waiver" : "issued", accountParam(c.issued_by),
           issued_at, c.waiver_reason});
      issued.push_back(std::move(c));
    }

    markCertified(tx, issued);
    for (const auto& [name, number] : last) {
      if (number == first.at(name)) continue;
      tx.execute("UPDATE certificate_series SET last_number = ? WHERE series = ?", {number, name});
    }
    return issued;
  });
}

std::optional<Certificate> SqlCertificateRepository::find(Id id) {
  static const std::string sql = select("WHERE id = ?");
  return runner_.read([&](Tx& tx) { return findWhere(tx, sql, id); });
}

std::optional<Certificate> SqlCertificateRepository::findBySerial(const std::string& serial) {
  static const std::string sql = select("WHERE serial = ?");
  return runner_.read([&](Tx& tx) { return findWhere(tx, sql, serial); });
}

std::vector<Certificate> SqlCertificateRepository::listForCohort(Id cohort_id) {
  static const std::string sql = select("WHERE cohort_id = ? ORDER BY serial, id");
  return runner_.read([&](Tx& tx) {
    std::vector<Certificate> out;
    for (const Row& row : tx.query(sql, {cohort_id})) out.push_back(certificateFrom(row));
    return out;
  });
}

std::vector<Certificate> SqlCertificateRepository::listForParticipant(Id participant_id) {
  static const std::string sql = select("WHERE participant_id = ? ORDER BY id");
  return runner_.read([&](Tx& tx) {
    std::vector<Certificate> out;
    for (const Row& row : tx.query(sql, {participant_id})) out.push_back(certificateFrom(row));
    return out;
  });
}

std::optional<std::string> SqlCertificateRepository::pdf(Id id) {
  return runner_.read([&](Tx& tx) -> std::optional<std::string> {
    auto row = tx.queryOne("SELECT pdf FROM certificate_files WHERE certificate_id = ?", {id});
    if (!row) return std::nullopt;
    return row->text(0);
  });
}

Certificate SqlCertificateRepository::revoke(Id id, const std::string& reason, Id revoked_by,
                                             const Timestamp& at) {
  static const std::string sql = select("WHERE id = ?");
  const std::string revoked_at = sqlDateTime(at);
  return runner_.run([&](Tx& tx) {
    // The row lock makes two revocations of one certificate take turns: the second sees the
    // first's and answers conflict.
    auto status =
        tx.queryOne("SELECT status, enrolment_id FROM certificates WHERE id = ? FOR UPDATE", {id});
    if (!status) throw Error(ErrorCode::not_found, "certificate not found");
    if (storedEnum(certificateStatusFromString(status->text(0)), "certificates.status") ==
        CertificateStatus::revoked) {
      throw Error(ErrorCode::conflict, "the certificate is already revoked");
    }
    const Param by = accountParam(revoked_by);
    tx.execute(
        "UPDATE certificates SET status = 'revoked', revoked_reason = ?, revoked_at = ?,"
        " revoked_by = ? WHERE id = ?",
        {reason, revoked_at, by, id});
    tx.execute(
        "INSERT INTO certificate_audit (certificate_id, action, account_id, at, reason)"
        " VALUES (?, 'revoked', ?, ?, ?)",
        {id, by, revoked_at, reason});
    // At most one valid certificate per enrolment: revoking it leaves the enrolment without one.
    tx.execute("UPDATE enrolment_facts SET certified = 0, waived = 0 WHERE enrolment_id = ?",
               {status->int64(1)});
    return findWhere(tx, sql, id).value();
  });
}

std::vector<CertificateAuditEntry> SqlCertificateRepository::audit(Id id) {
  return runner_.read([&](Tx& tx) {
    std::vector<CertificateAuditEntry> out;
    for (const Row& row : tx.query("SELECT action, account_id, at, reason FROM certificate_audit"
                                   " WHERE certificate_id = ? ORDER BY id",
                                   {id})) {
      CertificateAuditEntry entry;
      entry.action = row.text(0);
      entry.account_id = accountColumn(row, 1);
      entry.at = row.text(2);
      entry.reason = row.optText(3);
      out.push_back(std::move(entry));
    }
    return out;
  });
}

}  // namespace courses::mariadb
