// `qatysu certificates render`: certificates from a CSV or JSON list rendered to PDF files, with
// no database and no server. Every row is checked before anything is written.
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "certificates/error.hpp"
#include "certificates/file_name.hpp"
#include "certificates/fonts.hpp"
#include "certificates/renderer.hpp"
#include "certificates/signing.hpp"
#include "courses/model.hpp"
#include "courses/rules.hpp"
#include "courses/text.hpp"
#include "plugin/certify/maker.hpp"
#include "plugin/cli/args.hpp"
#include "plugin/cli/certificate_commands.hpp"
#include "plugin/cli/csv.hpp"
#include "plugin/cli/terminal.hpp"

namespace plugin::cli {
namespace {

constexpr const char* kUsage =
    "Usage: qatysu certificates render --input FILE --out DIR [--jobs N] [--key FILE]\n"
    "                                  [--base-url URL]\n"
    "\n"
    "Renders one PDF per certificate of FILE into DIR, named <serial>_<Name>.pdf. No database\n"
    "and no server are needed.\n"
    "  --input FILE    CSV with a header row, or JSON: a list of certificate objects as the API\n"
    "                  returns them (or {\"items\": [...]})\n"
    "  --out DIR       where the PDFs go (created when missing)\n"
    "  --jobs N        render with N threads (default 1)\n"
    "  --key FILE      sign each certificate with this Ed25519 key file (created when missing)\n"
    "                  and put the signed payload in its QR code; without it the QR code holds\n"
    "                  the verification URL only\n"
    "  --base-url URL  the server's public address, for rows without verify_url (default:\n"
    "                  http://127.0.0.1:8080)\n"
    "\n"
    "CSV columns: serial, full_name, language (kk, ru, en or all), course_title_kk,\n"
    "course_title_ru, course_title_en, hours, starts_on, ends_on, place, locality_kk,\n"
    "locality_ru, locality_en, sessions_attended, sessions_total, trainers (separated by ';'),\n"
    "organisation_kk, organisation_ru, organisation_en (each separated by ';'), issuer_kk,\n"
    "issuer_ru, issuer_en, issued_on; optional: verify_url. Dates are YYYY-MM-DD.\n"
    "\n"
    "Every row is checked first; when any row is bad, each bad row is reported by its line (CSV)\n"
    "or its index (JSON) and nothing is rendered (exit status 1).\n";

constexpr const char* kDefaultBaseUrl = "http://127.0.0.1:8080";
constexpr std::size_t kMaxInputBytes = 256U * 1024U * 1024U;
constexpr int kMaxJobs = 64;

/// One certificate of the input, and where it came from.
struct Row {
  std::string where;  ///< "line 12" or "item 3"
  courses::Certificate certificate;
  std::string verify_url;
  std::vector<std::string> problems;
};

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  std::string data = std::move(text).str();
  if (data.size() > kMaxInputBytes) throw std::runtime_error(path.string() + " is too large");
  return data;
}

/// A field without the whitespace around it, as an owned string.
std::string trimmed(std::string_view text) {
  return std::string(courses::trim(text, courses::kAsciiWhitespace));
}

std::vector<std::string> splitList(std::string_view text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(';', start);
    std::string item =
        trimmed(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (!item.empty() || end != std::string_view::npos) items.push_back(std::move(item));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  while (!items.empty() && items.back().empty()) items.pop_back();
  return items;
}

std::optional<double> parseNumber(std::string_view text) {
  const std::string value = trimmed(text);
  if (value.empty()) return std::nullopt;
  std::size_t used = 0;
  try {
    const double number = std::stod(value, &used);
    if (used != value.size() || !std::isfinite(number)) return std::nullopt;
    return number;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<int> parseCount(std::string_view text) {
  const auto number = parseNumber(text);
  if (!number || *number < 0 || *number > 100000 || std::floor(*number) != *number) {
    return std::nullopt;
  }
  return static_cast<int>(*number);
}

// --- reading rows ----------------------------------------------------------------------------

/// Field values of one row by column name, as text (lists separated by ';').
using Fields = std::map<std::string, std::string>;

const std::vector<std::string>& csvColumns() {
  static const std::vector<std::string> columns = {
      "serial",          "full_name",         "language",
      "course_title_kk", "course_title_ru",   "course_title_en",
      "hours",           "starts_on",         "ends_on",
      "place",           "locality_kk",       "locality_ru",
      "locality_en",     "sessions_attended", "sessions_total",
      "trainers",        "organisation_kk",   "organisation_ru",
      "organisation_en", "issuer_kk",         "issuer_ru",
      "issuer_en",       "issued_on",         "verify_url"};
  return columns;
}
const std::set<std::string> kOptionalColumns = {
    "verify_url", "place",           "locality_kk",     "locality_ru",     "locality_en",
    "trainers",   "organisation_kk", "organisation_ru", "organisation_en", "language"};

/// Builds the certificate of one row from its fields, noting every problem.
Row rowFromFields(std::string where, const Fields& fields,
                  const std::vector<std::vector<std::string>>& organisations_by_language,
                  std::vector<std::string> trainers) {
  Row row;
  row.where = std::move(where);
  courses::Certificate& c = row.certificate;
  const auto get = [&](const std::string& name) -> std::string {
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  };
  const auto problem = [&](const std::string& field, const std::string& message) {
    row.problems.push_back(field + ": " + message);
  };

  c.serial = trimmed(get("serial"));
  if (c.serial.empty()) {
    problem("serial", "missing");
  } else if (!courses::isValidSerial(c.serial)) {
    problem("serial", "not a certificate serial like LSG-EKZ-IP-2019-000123");
  }
  c.full_name = trimmed(get("full_name"));
  if (c.full_name.empty()) problem("full_name", "missing");
  const std::string language = trimmed(get("language"));
  if (language.empty()) {
    c.language = courses::CertificateLanguage::all;
  } else if (const auto parsed = courses::certificateLanguageFromString(language)) {
    c.language = *parsed;
  } else {
    problem("language", "must be one of kk, ru, en, all");
  }
  c.course_title = {trimmed(get("course_title_kk")), trimmed(get("course_title_ru")),
                    trimmed(get("course_title_en"))};
  if (c.course_title.kk.empty() && c.course_title.ru.empty() && c.course_title.en.empty()) {
    problem("course_title", "missing in every language");
  }
  if (const auto hours = parseNumber(get("hours")); hours && *hours >= 0 && *hours <= 100000) {
    c.hours = *hours;
  } else {
    problem("hours", "must be a number from 0 to 100000");
  }
  c.starts_on = trimmed(get("starts_on"));
  c.ends_on = trimmed(get("ends_on"));
  if (!courses::isValidDate(c.starts_on)) problem("starts_on", "must be a date YYYY-MM-DD");
  if (!courses::isValidDate(c.ends_on)) {
    problem("ends_on", "must be a date YYYY-MM-DD");
  } else if (courses::isValidDate(c.starts_on) && c.ends_on < c.starts_on) {
    problem("ends_on", "before starts_on");
  }
  c.place = trimmed(get("place"));
  c.locality = {trimmed(get("locality_kk")), trimmed(get("locality_ru")),
                trimmed(get("locality_en"))};
  const auto attended = parseCount(get("sessions_attended"));
  const auto total = parseCount(get("sessions_total"));
  if (!attended) problem("sessions_attended", "must be a whole number from 0");
  if (!total) problem("sessions_total", "must be a whole number from 0");
  if (attended && total) {
    if (*attended > *total) problem("sessions_attended", "more than sessions_total");
    c.sessions_attended = *attended;
    c.sessions_total = *total;
  }
  c.trainers = std::move(trainers);
  const std::size_t organisation_count =
      std::max({organisations_by_language[0].size(), organisations_by_language[1].size(),
                organisations_by_language[2].size()});
  for (std::size_t i = 0; i < organisation_count; ++i) {
    const auto at = [&](std::size_t language_index) {
      const auto& list = organisations_by_language[language_index];
      return i < list.size() ? list[i] : std::string();
    };
    c.organisations.push_back({at(0), at(1), at(2)});
  }
  c.issuer = {trimmed(get("issuer_kk")), trimmed(get("issuer_ru")), trimmed(get("issuer_en"))};
  if (c.issuer.kk.empty() && c.issuer.ru.empty() && c.issuer.en.empty()) {
    problem("issuer", "missing in every language");
  }
  const std::string issued_on = trimmed(get("issued_on")).substr(0, 10);
  if (!courses::isValidDate(issued_on)) {
    problem("issued_on", "must be a date YYYY-MM-DD");
  } else {
    c.issued_at = issued_on + "T00:00:00Z";
  }
  row.verify_url = trimmed(get("verify_url"));
  return row;
}

std::vector<Row> rowsFromCsv(std::string_view text) {
  const std::vector<CsvRecord> records = parseCsv(text);
  if (records.empty()) throw std::runtime_error("the CSV file has no header row");
  const CsvRecord& header = records.front();
  std::map<std::string, std::size_t> index;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string name = trimmed(header.fields[i]);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (std::find(csvColumns().begin(), csvColumns().end(), name) == csvColumns().end()) {
      problems.push_back("unknown column \"" + name + "\"");
    } else if (!index.emplace(name, i).second) {
      problems.push_back("column \"" + name + "\" appears twice");
    }
  }
  for (const std::string& column : csvColumns()) {
    if (!index.contains(column) && !kOptionalColumns.contains(column)) {
      problems.push_back("missing column \"" + column + "\"");
    }
  }
  if (!problems.empty()) {
    std::string message = "line " + std::to_string(header.line) + " (header):";
    for (const auto& p : problems) message += "\n  " + p;
    throw std::runtime_error(message);
  }
  std::vector<Row> rows;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    Fields fields;
    for (const auto& [name, i] : index) {
      if (i < record.fields.size()) fields[name] = record.fields[i];
    }
    Row row =
        rowFromFields("line " + std::to_string(record.line), fields,
                      {splitList(fields["organisation_kk"]), splitList(fields["organisation_ru"]),
                       splitList(fields["organisation_en"])},
                      splitList(fields["trainers"]));
    if (record.fields.size() != header.fields.size()) {
      row.problems.insert(row.problems.begin(), "has " + std::to_string(record.fields.size()) +
                                                    " fields, the header " +
                                                    std::to_string(header.fields.size()));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> rowsFromJson(std::string_view text) {
  boost::system::error_code error;
  const boost::json::value document = boost::json::parse(text, error);
  if (error) throw std::runtime_error("not valid JSON: " + error.message());
  const boost::json::array* items = document.if_array();
  if (items == nullptr && document.is_object()) {
    if (const auto* found = document.as_object().if_contains("items")) items = found->if_array();
  }
  if (items == nullptr) {
    throw std::runtime_error(
        "the JSON file must hold a list of certificates (or {\"items\": [...]})");
  }
  std::vector<Row> rows;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string where = "item " + std::to_string(i);
    const boost::json::object* object = (*items)[i].if_object();
    if (object == nullptr) {
      Row row;
      row.where = where;
      row.problems.push_back("not an object");
      rows.push_back(std::move(row));
      continue;
    }
    std::vector<std::string> shape;  // fields of the wrong JSON type
    Fields fields;
    // Numbers are read from JSON numbers (or their text); every other field must be a string.
    const auto text_of = [&](const boost::json::value& value, const std::string& name) {
      const bool numeric =
          name == "hours" || name == "sessions_attended" || name == "sessions_total";
      if (value.is_string()) return std::string(value.get_string());
      if (numeric && value.is_number()) return boost::json::serialize(value);
      if (!value.is_null())
        shape.push_back(name + (numeric ? ": must be a number" : ": must be a string"));
      return std::string();
    };
    for (const char* name : {"serial", "full_name", "language", "hours", "starts_on", "ends_on",
                             "place", "sessions_attended", "sessions_total", "verify_url"}) {
      if (const auto* value = object->if_contains(name)) fields[name] = text_of(*value, name);
    }
    if (const auto* value = object->if_contains("issued_on")) {
      fields["issued_on"] = text_of(*value, "issued_on");
    } else if (const auto* at = object->if_contains("issued_at")) {
      fields["issued_on"] = text_of(*at, "issued_at");
    }
    const auto localized = [&](const char* name, const std::string& prefix) {
      const auto* value = object->if_contains(name);
      if (value == nullptr || value->is_null()) return;
      if (!value->is_object()) {
        shape.push_back(std::string(name) + ": must be an object with kk, ru, en");
        return;
      }
      for (const char* language : {"kk", "ru", "en"}) {
        if (const auto* text_value = value->as_object().if_contains(language)) {
          fields[prefix + language] = text_of(*text_value, std::string(name) + "." + language);
        }
      }
    };
    localized("course_title", "course_title_");
    localized("locality", "locality_");
    localized("issuer", "issuer_");
    std::vector<std::string> trainers;
    if (const auto* value = object->if_contains("trainers");
        value != nullptr && !value->is_null()) {
      if (!value->is_array()) {
        shape.push_back("trainers: must be a list of names");
      } else {
        for (const auto& trainer : value->as_array())
          trainers.push_back(trimmed(text_of(trainer, "trainers")));
      }
    }
    std::vector<std::vector<std::string>> organisations(3);
    if (const auto* value = object->if_contains("organisations");
        value != nullptr && !value->is_null()) {
      if (!value->is_array()) {
        shape.push_back("organisations: must be a list of {kk, ru, en}");
      } else {
        for (const auto& organisation : value->as_array()) {
          const auto* names = organisation.if_object();
          if (names == nullptr) {
            shape.push_back("organisations: must be a list of {kk, ru, en}");
            break;
          }
          std::size_t l = 0;
          for (const char* language : {"kk", "ru", "en"}) {
            const auto* name = names->if_contains(language);
            organisations[l++].push_back(
                name == nullptr ? std::string() : trimmed(text_of(*name, "organisations")));
          }
        }
      }
    }
    Row row = rowFromFields(where, fields, organisations, std::move(trainers));
    row.problems.insert(row.problems.begin(), shape.begin(), shape.end());
    rows.push_back(std::move(row));
  }
  return rows;
}

bool looksLikeJson(const std::filesystem::path& path, std::string_view text) {
  if (path.extension() == ".json") return true;
  if (path.extension() == ".csv") return false;
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (text[first] == '[' || text[first] == '{');
}

/// Glyph and UTF-8 checks of every text a certificate prints, as the renderer makes them.
void checkTexts(Row& row, const certificates::GlyphCoverage& coverage) {
  const courses::Certificate& c = row.certificate;
  std::vector<std::pair<std::string, const std::string*>> texts = {
      {"full_name", &c.full_name},
      {"course_title.kk", &c.course_title.kk},
      {"course_title.ru", &c.course_title.ru},
      {"course_title.en", &c.course_title.en},
      {"place", &c.place},
      {"locality.kk", &c.locality.kk},
      {"locality.ru", &c.locality.ru},
      {"locality.en", &c.locality.en},
      {"issuer.kk", &c.issuer.kk},
      {"issuer.ru", &c.issuer.ru},
      {"issuer.en", &c.issuer.en},
      {"verify_url", &row.verify_url}};
  for (std::size_t i = 0; i < c.trainers.size(); ++i) {
    texts.emplace_back("trainers[" + std::to_string(i) + "]", &c.trainers[i]);
  }
  for (std::size_t i = 0; i < c.organisations.size(); ++i) {
    const std::string name = "organisations[" + std::to_string(i) + "].";
    texts.emplace_back(name + "kk", &c.organisations[i].kk);
    texts.emplace_back(name + "ru", &c.organisations[i].ru);
    texts.emplace_back(name + "en", &c.organisations[i].en);
  }
  for (const auto& [field, text] : texts) {
    if (const auto bad = courses::firstInvalidUtf8(*text)) {
      row.problems.push_back(field + ": not valid UTF-8 at byte " + std::to_string(*bad));
    } else if (const auto missing = coverage.firstMissing(*text)) {
      row.problems.push_back(field + ": " + certificates::describeCodePoint(*missing) +
                             " cannot be printed with the certificate font");
    }
  }
}

/// What one PDF needs: the content to draw and the file to write it to.
struct Job {
  std::string where;
  certificates::Content content;
  std::filesystem::path file;
};

std::string formatFixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace

int renderCertificatesCommand(std::span<const std::string> args, Console& console) {
  static const std::vector<OptionSpec> kSpecs = {
      {"--input", true}, {"--out", true}, {"--jobs", true}, {"--key", true}, {"--base-url", true}};
  ParsedArgs parsed;
  try {
    parsed = parseArgs(args, kSpecs);
    if (parsed.help) {
      console.out << kUsage;
      return kExitOk;
    }
    if (!parsed.positional.empty())
      throw UsageError("unexpected argument: " + parsed.positional[0]);
    if (!parsed.value("--input")) throw UsageError("--input FILE is required");
    if (!parsed.value("--out")) throw UsageError("--out DIR is required");
  } catch (const UsageError& error) {
    console.err << "qatysu certificates render: " << error.what() << "\n\n" << kUsage;
    return kExitUsage;
  }
  int jobs = 1;
  if (const auto value = parsed.value("--jobs")) {
    const auto count = parseCount(*value);
    if (!count || *count < 1 || *count > kMaxJobs) {
      console.err << "qatysu certificates render: --jobs must be a whole number from 1 to "
                  << kMaxJobs << "\n";
      return kExitUsage;
    }
    jobs = *count;
  }
  const std::filesystem::path input = *parsed.value("--input");
  const std::filesystem::path out_dir = *parsed.value("--out");
  const std::string base_url = parsed.value("--base-url").value_or(kDefaultBaseUrl);

  try {
    const std::string text = readFile(input);
    std::vector<Row> rows = looksLikeJson(input, text) ? rowsFromJson(text) : rowsFromCsv(text);
    const certificates::FontSet fonts = certificates::FontSet::dejavu();
    const certificates::GlyphCoverage coverage(fonts);

    // Check everything before writing anything.
    std::map<std::string, std::string> first_of_name;
    std::size_t bad = 0;
    for (Row& row : rows) {
      checkTexts(row, coverage);
      if (row.problems.empty()) {
        const std::string name =
            certificates::certificateFileName(row.certificate.serial, row.certificate.full_name);
        const auto [it, fresh] = first_of_name.emplace(name, row.where);
        if (!fresh) row.problems.push_back("serial: the same file name as " + it->second);
      }
      if (!row.problems.empty()) {
        ++bad;
        for (const std::string& problem : row.problems) {
          console.err << input.string() << ": " << row.where << ": " << problem << "\n";
        }
      }
    }
    if (bad > 0) {
      console.err << "qatysu certificates render: " << bad << " of " << rows.size()
                  << " rows are bad; nothing was rendered\n";
      return kExitFailure;
    }

    std::optional<certificates::SigningKey> key;
    if (const auto key_file = parsed.value("--key")) {
      key = certificates::SigningKey::loadOrCreate(*key_file);
    }
    std::vector<Job> work;
    work.reserve(rows.size());
    for (const Row& row : rows) {
      const courses::Certificate& c = row.certificate;
      // A row rendered here has no verification token: its URL names the serial alone.
      std::string url =
          row.verify_url.empty() ? certify::verifyUrl(base_url, c.serial, {}) : row.verify_url;
      std::string qr = url;
      if (key) {
        const std::string payload = certificates::canonicalPayload(certify::signedFields(c));
        qr = certificates::qrPayload(url, payload, key->sign(payload));
      }
      work.push_back(Job{row.where, certify::toContent(c, url, std::move(qr)),
                         out_dir / certificates::certificateFileName(c.serial, c.full_name)});
    }
    std::filesystem::create_directories(out_dir);

    // Each thread has its own renderer (they are not thread-safe) and takes the next job.
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::atomic<std::uint64_t> bytes{0};
    std::atomic<bool> failed{false};
    std::mutex failure_mutex;
    std::string failure;
    const auto worker = [&] {
      try {
        certificates::Renderer renderer(fonts);
        for (std::size_t i = next++; i < work.size() && !failed; i = next++) {
          std::string pdf;
          try {
            pdf = renderer.render(work[i].content);
          } catch (const certificates::Error& error) {
            throw std::runtime_error(work[i].where + ": " + error.what());
          }
          std::ofstream file(work[i].file, std::ios::binary | std::ios::trunc);
          file.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
          file.close();
          if (!file) throw std::runtime_error("cannot write " + work[i].file.string());
          bytes += pdf.size();
          ++done;
        }
      } catch (const std::exception& error) {
        const std::lock_guard lock(failure_mutex);
        if (!failed.exchange(true)) failure = error.what();
      }
    };
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < jobs; ++t) threads.emplace_back(worker);
    Progress progress(console.err, console.err_is_terminal, "rendering certificates");
    while (done < work.size() && !failed) {
      if (done > 0) progress.update(done, work.size());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (std::thread& thread : threads) thread.join();
    progress.update(done, work.size());
    progress.finish();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (failed) {
      console.err << "qatysu certificates render: " << failure << " (" << done
                  << " certificates were written before)\n";
      return kExitFailure;
    }
    const std::size_t count = work.size();
    const double average_kb =
        count == 0 ? 0.0 : static_cast<double>(bytes.load()) / static_cast<double>(count) / 1024.0;
    console.out << "rendered " << count
                << (count == 1 ? " certificate into " : " certificates into ") << out_dir.string()
                << " in " << formatFixed(seconds, 2) << " s with " << jobs
                << (jobs == 1 ? " thread: " : " threads: ")
                << formatFixed(seconds > 0 ? static_cast<double>(count) / seconds : 0.0, 1)
                << " certificates/s, average " << formatFixed(average_kb, 1) << " KB\n";
    return kExitOk;
  } catch (const CsvError& error) {
    console.err << "qatysu certificates render: " << input.string() << ": " << error.what() << "\n";
  } catch (const certificates::Error& error) {
    console.err << "qatysu certificates render: " << error.what() << "\n";
  } catch (const std::exception& error) {
    console.err << "qatysu certificates render: " << input.string() << ": " << error.what() << "\n";
  }
  return kExitFailure;
}

}  // namespace plugin::cli
