#include "plugin/api/json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <system_error>
#include <unordered_set>

#include "certificates/signing.hpp"
#include "courses/error.hpp"
#include "plugin/api/errors.hpp"
#include "plugin/certify/maker.hpp"

namespace plugin::api {

namespace json = boost::json;

namespace {

// Field names echoed in messages are cut short: an unknown key may be kilobytes long.
std::string quotedName(std::string_view name) {
  constexpr std::size_t kMaxEcho = 64;
  if (name.size() <= kMaxEcho) return "\"" + std::string(name) + "\"";
  // Cut at a UTF-8 boundary so the message stays valid UTF-8.
  std::size_t cut = kMaxEcho;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0U) == 0x80U) --cut;
  return "\"" + std::string(name.substr(0, cut)) + "…\"";
}

std::string_view kindName(const json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

[[noreturn]] void wrongType(const std::string& field, std::string_view expected,
                            const json::value& got) {
  throw invalidRequest("field " + quotedName(field) + " must be " + std::string(expected) +
                       ", not " + std::string(kindName(got)));
}

/// Collects value problems (422) so a client learns about all of them at once.
class Problems {
 public:
  void add(std::string field, std::string message) {
    list_.push_back({std::move(field), std::move(message)});
  }
  void throwIfAny() const {
    if (list_.empty()) return;
    std::string detail = "invalid value";
    detail += list_.size() == 1 ? " in field " : "s in fields ";
    for (std::size_t i = 0; i < list_.size(); ++i) {
      if (i > 0) detail += ", ";
      detail += quotedName(list_[i].field);
    }
    throw courses::Error(courses::ErrorCode::invalid_argument, detail, list_);
  }

 private:
  std::vector<courses::FieldProblem> list_;
};

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// ---- typed access to one value; `field` names it in messages -----------------------------------

std::string readString(const json::value& value, const std::string& field, Problems& problems) {
  if (!value.is_string()) wrongType(field, "a string", value);
  const json::string& text = value.get_string();
  if (text.size() > kMaxJsonStringBytes) {
    problems.add(field, "must be at most 4096 bytes");
    return {};
  }
  return std::string(text);
}

bool readBool(const json::value& value, const std::string& field) {
  if (!value.is_bool()) wrongType(field, "a boolean", value);
  return value.get_bool();
}

long long readInteger(const json::value& value, const std::string& field, long long min,
                      long long max, Problems& problems) {
  long long number = 0;
  if (value.is_int64()) {
    number = value.get_int64();
  } else if (value.is_uint64()) {
    number = std::numeric_limits<long long>::max();  // above any accepted maximum
  } else {
    wrongType(field, "an integer", value);
  }
  if (number < min || number > max) {
    problems.add(field,
                 "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return min;
  }
  return number;
}

int readInt(const json::value& value, const std::string& field, Problems& problems) {
  return static_cast<int>(readInteger(value, field, std::numeric_limits<int>::min(),
                                      std::numeric_limits<int>::max(), problems));
}

courses::Id readId(const json::value& value, const std::string& field, Problems& problems) {
  return readInteger(value, field, 1, kMaxWireId, problems);
}

double readNumber(const json::value& value, const std::string& field, Problems& problems) {
  if (!value.is_number()) wrongType(field, "a number", value);
  const double number = value.to_number<double>();
  if (!std::isfinite(number)) {
    problems.add(field, "must be a finite number");
    return 0;
  }
  return number;
}

const json::array& readArray(const json::value& value, const std::string& field) {
  if (!value.is_array()) wrongType(field, "an array", value);
  return value.get_array();
}

/// The enum named by a string value, or nullopt (recorded as a problem listing the names).
template <typename Enum, typename FromString>
std::optional<Enum> readEnumIn(const json::value& value, const std::string& field,
                               Problems& problems, FromString from_string,
                               std::span<const Enum> all) {
  const std::string name = readString(value, field, problems);
  if (const auto parsed = from_string(name)) return *parsed;
  std::string message = "must be one of";
  bool first = true;
  for (const Enum candidate : all) {
    message += first ? " " : ", ";
    message += courses::toString(candidate);
    first = false;
  }
  problems.add(field, message);
  return std::nullopt;
}

template <typename Enum, typename FromString>
Enum readEnum(const json::value& value, const std::string& field, Problems& problems,
              FromString from_string, std::initializer_list<Enum> all) {
  return readEnumIn(value, field, problems, from_string,
                    std::span<const Enum>(all.begin(), all.size()))
      .value_or(*all.begin());
}

courses::Gender readGender(const json::value& value, const std::string& field, Problems& problems) {
  using courses::Gender;
  return readEnum(value, field, problems, courses::genderFromString,
                  {Gender::female, Gender::male, Gender::undisclosed});
}

courses::Affiliation readAffiliation(const json::value& value, const std::string& field,
                                     Problems& problems) {
  using courses::Affiliation;
  return readEnum(
      value, field, problems, courses::affiliationFromString,
      {Affiliation::local_government, Affiliation::civil_society, Affiliation::community_member,
       Affiliation::entrepreneur, Affiliation::public_servant, Affiliation::other});
}

courses::VulnerableSet readVulnerable(const json::value& value, const std::string& field,
                                      Problems& problems) {
  courses::VulnerableSet set = 0;
  const json::array& items = readArray(value, field);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string item_field = field + "[" + std::to_string(i) + "]";
    const auto group =
        readEnumIn(items[i], item_field, problems, courses::vulnerableGroupFromString,
                   std::span<const courses::VulnerableGroup>(courses::kAllVulnerableGroups));
    if (group) {
      set = static_cast<courses::VulnerableSet>(set | static_cast<courses::VulnerableSet>(*group));
    }
  }
  return set;
}

/// One JSON object read field by field: unknown keys are refused up front, missing required keys
/// are collected as problems.
class ObjectReader {
 public:
  ObjectReader(const json::value& value, std::string path, Problems& problems,
               std::initializer_list<std::string_view> allowed)
      : path_(std::move(path)), problems_(problems) {
    if (!value.is_object()) {
      if (path_.empty()) {
        throw invalidRequest("the request body must be a JSON object, not " +
                             std::string(kindName(value)));
      }
      wrongType(path_, "an object", value);
    }
    object_ = &value.get_object();
    for (const auto& member : *object_) {
      bool known = false;
      for (const std::string_view name : allowed) known = known || member.key() == name;
      if (!known) throw invalidRequest("unknown field " + quotedName(field(member.key())));
    }
  }

  std::string field(std::string_view key) const { return join(path_, key); }
  Problems& problems() const { return problems_; }

  /// The member, or nullptr when absent (recorded as a problem when required).
  const json::value* get(std::string_view key, bool required) const {
    if (const auto* value = object_->if_contains(key)) return value;
    if (required) problems_.add(field(key), "is required");
    return nullptr;
  }

  /// The member if present and not null, for fields whose null means "absent".
  const json::value* nonNull(std::string_view key, bool required) const {
    const json::value* value = get(key, required);
    if (value != nullptr && value->is_null()) {
      problems_.add(field(key), "must not be null");
      return nullptr;
    }
    return value;
  }

  std::string string(std::string_view key) const {
    const auto* value = get(key, true);
    return value != nullptr ? readString(*value, field(key), problems_) : std::string();
  }
  courses::Id id(std::string_view key) const {
    const auto* value = get(key, true);
    return value != nullptr ? readId(*value, field(key), problems_) : 0;
  }
  int integer(std::string_view key) const {
    const auto* value = get(key, true);
    return value != nullptr ? readInt(*value, field(key), problems_) : 0;
  }
  bool boolean(std::string_view key, std::optional<bool> fallback) const {
    const auto* value = get(key, !fallback.has_value());
    return value != nullptr ? readBool(*value, field(key)) : fallback.value_or(false);
  }
  /// A member that may be absent or null (both mean "none").
  std::optional<std::string> nullableString(std::string_view key) const {
    const auto* value = get(key, false);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return readString(*value, field(key), problems_);
  }
  std::optional<courses::Id> nullableId(std::string_view key) const {
    const auto* value = get(key, false);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return readId(*value, field(key), problems_);
  }
  courses::LocalizedText localized(std::string_view key) const {
    courses::LocalizedText text;
    const auto* value = get(key, true);
    if (value == nullptr) return text;
    const ObjectReader reader(*value, field(key), problems_, {"kk", "ru", "en"});
    text.kk = reader.string("kk");
    text.ru = reader.string("ru");
    text.en = reader.string("en");
    return text;
  }

 private:
  std::string path_;
  Problems& problems_;
  const json::object* object_ = nullptr;
};

courses::LocalizedText readLocalized(const json::value& value, const std::string& field,
                                     Problems& problems) {
  const ObjectReader reader(value, field, problems, {"kk", "ru", "en"});
  courses::LocalizedText text;
  text.kk = reader.string("kk");
  text.ru = reader.string("ru");
  text.en = reader.string("en");
  return text;
}

std::optional<courses::CertificateLanguage> readCertificateLanguage(const json::value& value,
                                                                    const std::string& field,
                                                                    Problems& problems) {
  using courses::CertificateLanguage;
  static constexpr CertificateLanguage kAll[] = {CertificateLanguage::kk, CertificateLanguage::ru,
                                                 CertificateLanguage::en, CertificateLanguage::all};
  return readEnumIn(value, field, problems, courses::certificateLanguageFromString,
                    std::span<const CertificateLanguage>(kAll));
}

void readPerson(const ObjectReader& reader, courses::Participant& person) {
  person.full_name = reader.string("full_name");
  if (const auto* v = reader.get("gender", true)) {
    person.demographics.gender = readGender(*v, reader.field("gender"), reader.problems());
  }
  person.demographics.birth_year = reader.integer("birth_year");
  person.demographics.locality_id = reader.id("locality_id");
  if (const auto* v = reader.get("affiliation", true)) {
    person.demographics.affiliation =
        readAffiliation(*v, reader.field("affiliation"), reader.problems());
  }
  if (const auto* v = reader.get("vulnerable", false)) {
    person.demographics.vulnerable =
        readVulnerable(*v, reader.field("vulnerable"), reader.problems());
  }
  person.phone = reader.nullableString("phone");
  person.email = reader.nullableString("email");
  person.consent = reader.boolean("consent", std::nullopt);
}

json::value optionalValue(const std::optional<courses::Id>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}

json::value optionalValue(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

// Boost.JSON writes every double with an exponent ("2.4E1"); whole hours read better as integers.
json::value hoursValue(double hours) {
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  if (std::trunc(hours) == hours && std::fabs(hours) < kExactIntegerLimit) {
    return json::value(static_cast<std::int64_t>(hours));
  }
  return json::value(hours);
}

json::object toJson(const courses::Demographics& snapshot) {
  return json::object{{"gender", courses::toString(snapshot.gender)},
                      {"birth_year", snapshot.birth_year},
                      {"locality_id", snapshot.locality_id},
                      {"affiliation", courses::toString(snapshot.affiliation)},
                      {"vulnerable", vulnerableToJson(snapshot.vulnerable)}};
}

/// Builds the value like boost::json::parser does, and also refuses an object with the same key
/// twice: JSON leaves that case open, and different readers keeping different copies is how
/// checks get bypassed.
struct StrictHandler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack stack;
  std::vector<std::unordered_set<std::string>> keys;  ///< per open object
  std::string key;                                    ///< key being read
  bool duplicate = false;
  std::string duplicate_key;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) {
    keys.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, boost::system::error_code&) {
    keys.pop_back();
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(boost::system::error_code&) { return true; }
  bool on_array_end(std::size_t n, boost::system::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, boost::system::error_code&) {
    key.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, boost::system::error_code& ec) {
    key.append(s.data(), s.size());
    if (!keys.back().insert(key).second) {
      duplicate = true;
      duplicate_key = std::move(key);
      ec = json::error::syntax;
      return false;
    }
    key.clear();
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, boost::system::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, boost::system::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, boost::system::error_code&) {
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, boost::system::error_code&) {
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, boost::system::error_code&) {
    stack.push_double(d);
    return true;
  }
  bool on_bool(bool b, boost::system::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(boost::system::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(json::string_view, boost::system::error_code&) { return true; }
};

}  // namespace

json::value parseJson(std::string_view text) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  options.allow_invalid_utf8 = false;
  json::basic_parser<StrictHandler> parser(options);
  parser.handler().stack.reset();
  boost::system::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  StrictHandler& handler = parser.handler();
  if (handler.duplicate) {
    throw invalidRequest("field " + quotedName(handler.duplicate_key) + " appears more than once");
  }
  if (!ec && used < text.size()) ec = json::error::extra_data;
  if (ec) {
    if (ec == json::error::too_deep) {
      throw invalidRequest("the JSON document is nested deeper than 32 levels");
    }
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      throw invalidRequest("the request body is empty; a JSON document is expected");
    }
    throw invalidRequest("the request body is not valid JSON (" + ec.message() + ")");
  }
  return handler.stack.release();
}

/// "session": "cookie" (true), "bearer" or absent (false).
bool readCookieSession(const ObjectReader& reader) {
  const auto* value = reader.get("session", false);
  if (value == nullptr) return false;
  if (value->is_string()) {
    if (value->get_string() == "cookie") return true;
    if (value->get_string() == "bearer") return false;
  }
  reader.problems().add("session", "must be \"cookie\" or \"bearer\"");
  return false;
}

LoginRequest loginFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"login", "password", "session"});
  LoginRequest request;
  request.login = reader.string("login");
  request.password = reader.string("password");
  request.cookie_session = readCookieSession(reader);
  problems.throwIfAny();
  return request;
}

courses::Programme programmeFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(
      body, "", problems,
      {"code", "title", "donor", "starts_on", "ends_on", "organisations", "youth"});
  courses::Programme programme;
  programme.code = reader.string("code");
  programme.title = reader.localized("title");
  programme.donor = reader.string("donor");
  programme.starts_on = reader.string("starts_on");
  programme.ends_on = reader.string("ends_on");
  if (const auto* v = reader.get("organisations", false)) {
    const json::array& items = readArray(*v, "organisations");
    for (std::size_t i = 0; i < items.size(); ++i) {
      programme.organisations.push_back(
          readLocalized(items[i], "organisations[" + std::to_string(i) + "]", problems));
    }
  }
  if (const auto* v = reader.get("youth", false)) {
    const ObjectReader youth(*v, "youth", problems, {"from", "to"});
    programme.youth.from = youth.integer("from");
    programme.youth.to = youth.integer("to");
  }
  problems.throwIfAny();
  return programme;
}

courses::Locality localityFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"parent_id", "kind", "name", "kato"});
  courses::Locality locality;
  locality.parent_id = reader.nullableId("parent_id");
  if (const auto* v = reader.get("kind", true)) {
    using courses::LocalityKind;
    locality.kind =
        readEnum(*v, "kind", problems, courses::localityKindFromString,
                 {LocalityKind::region, LocalityKind::district, LocalityKind::settlement,
                  LocalityKind::rural_district, LocalityKind::village});
  }
  locality.name = reader.localized("name");
  locality.kato = reader.nullableString("kato");
  problems.throwIfAny();
  return locality;
}

courses::Course courseFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems,
                            {"programme_id", "track", "title", "hours", "rule", "gives_certificate",
                             "certificate_language"});
  courses::Course course;
  course.programme_id = reader.id("programme_id");
  course.track = reader.string("track");
  course.title = reader.localized("title");
  if (const auto* v = reader.get("hours", true)) course.hours = readNumber(*v, "hours", problems);
  if (const auto* v = reader.get("rule", true)) {
    const ObjectReader rule(*v, "rule", problems,
                            {"min_attendance_percent", "excused_counts", "require_all"});
    course.rule.min_attendance_percent = rule.integer("min_attendance_percent");
    course.rule.excused_counts = rule.boolean("excused_counts", false);
    course.rule.require_all = rule.boolean("require_all", false);
  }
  course.gives_certificate = reader.boolean("gives_certificate", true);
  if (const auto* v = reader.nonNull("certificate_language", false)) {
    course.certificate_language = readCertificateLanguage(*v, "certificate_language", problems)
                                      .value_or(courses::CertificateLanguage::all);
  }
  problems.throwIfAny();
  return course;
}

courses::Cohort cohortFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(
      body, "", problems,
      {"course_id", "locality_id", "place", "starts_on", "ends_on", "language", "trainer_ids"});
  courses::Cohort cohort;
  cohort.course_id = reader.id("course_id");
  cohort.locality_id = reader.id("locality_id");
  cohort.place = reader.string("place");
  cohort.starts_on = reader.string("starts_on");
  cohort.ends_on = reader.string("ends_on");
  if (const auto* v = reader.get("language", true)) {
    using courses::Language;
    cohort.language = readEnum(*v, "language", problems, courses::languageFromString,
                               {Language::kk, Language::ru, Language::en});
  }
  if (const auto* v = reader.get("trainer_ids", false)) {
    const json::array& ids = readArray(*v, "trainer_ids");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      cohort.trainer_ids.push_back(
          readId(ids[i], "trainer_ids[" + std::to_string(i) + "]", problems));
    }
  }
  problems.throwIfAny();
  return cohort;
}

courses::Session sessionFromJson(const json::value& body, courses::Id cohort_id) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"starts_at", "duration_minutes", "topic"});
  courses::Session session;
  session.cohort_id = cohort_id;
  session.starts_at = reader.string("starts_at");
  session.duration_minutes = reader.integer("duration_minutes");
  session.topic = reader.string("topic");
  problems.throwIfAny();
  return session;
}

json::object toJson(const courses::DuplicateCandidate& candidate) {
  json::object out;
  // Exactly one of id and confirmation: what same_person takes to confirm this person.
  if (candidate.id != 0) {
    out["id"] = candidate.id;
  } else {
    out["confirmation"] = candidate.confirmation;
  }
  out["full_name"] = candidate.full_name;
  out["birth_year"] = candidate.birth_year;
  out["locality_id"] = candidate.locality_id;
  return out;
}

json::object toJson(const courses::ParticipantLink& link) {
  json::object out{{"account_id", link.account_id}, {"linked_at", link.linked_at}};
  if (link.cohort_id) {
    out["cohort_id"] = *link.cohort_id;
  } else {
    out["cohort_id"] = nullptr;
  }
  return out;
}

courses::ParticipantService::Registration registrationFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(
      body, "", problems,
      {"full_name", "gender", "birth_year", "locality_id", "affiliation", "vulnerable", "phone",
       "email", "consent", "same_person", "not_duplicate"});
  courses::ParticipantService::Registration registration;
  readPerson(reader, registration.person);
  // An existing person's id, or the confirmation shown instead of an id the actor may not see.
  const json::value* same = reader.get("same_person", false);
  if (same != nullptr && same->is_string()) {
    registration.same_person_confirmation = readString(*same, "same_person", problems);
  } else {
    registration.same_person = reader.nullableId("same_person");
  }
  registration.not_duplicate = reader.boolean("not_duplicate", false);
  if ((registration.same_person || registration.same_person_confirmation) &&
      registration.not_duplicate) {
    problems.add("not_duplicate", "cannot be combined with same_person");
  }
  problems.throwIfAny();
  return registration;
}

courses::ParticipantPatch participantPatchFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems,
                            {"full_name", "gender", "birth_year", "locality_id", "affiliation",
                             "vulnerable", "phone", "email", "consent"});
  courses::ParticipantPatch patch;
  if (const auto* v = reader.nonNull("full_name", false)) {
    patch.full_name = readString(*v, "full_name", problems);
  }
  if (const auto* v = reader.nonNull("gender", false)) {
    patch.gender = readGender(*v, "gender", problems);
  }
  if (const auto* v = reader.nonNull("birth_year", false)) {
    patch.birth_year = readInt(*v, "birth_year", problems);
  }
  if (const auto* v = reader.nonNull("locality_id", false)) {
    patch.locality_id = readId(*v, "locality_id", problems);
  }
  if (const auto* v = reader.nonNull("affiliation", false)) {
    patch.affiliation = readAffiliation(*v, "affiliation", problems);
  }
  if (const auto* v = reader.get("vulnerable", false)) {
    // In merge-patch terms null removes the member: for a set that is the empty set.
    patch.vulnerable =
        v->is_null() ? courses::VulnerableSet{0} : readVulnerable(*v, "vulnerable", problems);
  }
  if (const auto* v = reader.get("phone", false)) {
    patch.phone = v->is_null() ? std::optional<std::string>()
                               : std::optional<std::string>(readString(*v, "phone", problems));
  }
  if (const auto* v = reader.get("email", false)) {
    patch.email = v->is_null() ? std::optional<std::string>()
                               : std::optional<std::string>(readString(*v, "email", problems));
  }
  if (const auto* v = reader.nonNull("consent", false)) patch.consent = readBool(*v, "consent");
  problems.throwIfAny();
  return patch;
}

courses::Id enrolmentRequestFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"participant_id"});
  const courses::Id participant_id = reader.id("participant_id");
  problems.throwIfAny();
  return participant_id;
}

std::vector<courses::AttendanceMark> marksFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"marks"});
  std::vector<courses::AttendanceMark> marks;
  if (const auto* v = reader.get("marks", true)) {
    const json::array& items = readArray(*v, "marks");
    marks.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const ObjectReader item(items[i], "marks[" + std::to_string(i) + "]", problems,
                              {"enrolment_id", "status"});
      courses::AttendanceMark mark;
      mark.enrolment_id = item.id("enrolment_id");
      if (const auto* status = item.get("status", true)) {
        using courses::AttendanceStatus;
        mark.status =
            readEnum(*status, item.field("status"), problems, courses::attendanceStatusFromString,
                     {AttendanceStatus::present, AttendanceStatus::late, AttendanceStatus::excused,
                      AttendanceStatus::absent});
      }
      marks.push_back(std::move(mark));
    }
  }
  problems.throwIfAny();
  return marks;
}

IssueRequest issueRequestFromJson(const json::value& body, bool allow_waiver) {
  Problems problems;
  const ObjectReader reader = allow_waiver
                                  ? ObjectReader(body, "", problems, {"language", "waiver_reason"})
                                  : ObjectReader(body, "", problems, {"language"});
  IssueRequest request;
  if (const auto* v = reader.get("language", false); v != nullptr && !v->is_null()) {
    request.language = readCertificateLanguage(*v, "language", problems);
  }
  if (allow_waiver) request.waiver_reason = reader.nullableString("waiver_reason");
  problems.throwIfAny();
  return request;
}

std::string revokeReasonFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"reason"});
  std::string reason = reader.string("reason");
  problems.throwIfAny();
  return reason;
}

CodeLoginRequest accessCodeFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"code", "session"});
  CodeLoginRequest request;
  request.code = reader.string("code");
  request.cookie_session = readCookieSession(reader);
  problems.throwIfAny();
  return request;
}

courses::Language languageFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"language"});
  std::optional<courses::Language> language;
  // Any other value, a null or a number among them, is a bad language (422), not a bad request.
  if (const auto* value = reader.get("language", true)) {
    if (value->is_string()) language = courses::languageFromString(value->get_string());
    if (!language) problems.add("language", "must be one of kk, ru, en");
  }
  problems.throwIfAny();
  return language.value_or(courses::Language::en);
}

courses::NewAccount staffAccountFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"login", "display_name", "role", "password"});
  courses::NewAccount account;
  account.login = reader.string("login");
  account.display_name = reader.string("display_name");
  if (const auto* value = reader.get("role", true)) {
    using courses::Role;
    account.role =
        readEnum(*value, "role", problems, courses::roleFromString, {Role::trainer, Role::admin});
    if (account.role == Role::learner) {
      problems.add("role", "must be one of trainer, admin");
    }
  }
  account.password = reader.string("password");
  problems.throwIfAny();
  return account;
}

courses::AccountEdit accountEditFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"display_name", "disabled", "password"});
  courses::AccountEdit edit;
  edit.display_name = reader.nullableString("display_name");
  if (const auto* value = reader.get("disabled", false); value != nullptr && !value->is_null()) {
    edit.disabled = readBool(*value, "disabled");
  }
  edit.password = reader.nullableString("password");
  problems.throwIfAny();
  return edit;
}

PasswordChange passwordChangeFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"password", "current_password"});
  PasswordChange change;
  change.password = reader.string("password");
  change.current_password = reader.nullableString("current_password");
  problems.throwIfAny();
  return change;
}

std::vector<courses::Target> targetsFromJson(const json::value& body) {
  Problems problems;
  const ObjectReader reader(body, "", problems, {"targets"});
  std::vector<courses::Target> targets;
  if (const auto* v = reader.nonNull("targets", true)) {
    const json::array& items = readArray(*v, "targets");
    targets.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const ObjectReader item(items[i], "targets[" + std::to_string(i) + "]", problems,
                              {"measure", "track", "value"});
      courses::Target target;
      if (const auto* m = item.get("measure", true)) {
        target.measure = readEnumIn(*m, item.field("measure"), problems, courses::measureFromString,
                                    std::span<const courses::Measure>(courses::kAllMeasures))
                             .value_or(courses::Measure::trained);
      }
      target.track = item.nullableString("track");
      if (const auto* value = item.get("value", true)) {
        target.value = readInteger(*value, item.field("value"), 1, kMaxTargetValue, problems);
      }
      targets.push_back(std::move(target));
    }
  }
  problems.throwIfAny();
  return targets;
}

json::object toJson(const courses::LocalizedText& text) {
  return json::object{{"kk", text.kk}, {"ru", text.ru}, {"en", text.en}};
}

namespace {

json::array localizedArray(const std::vector<courses::LocalizedText>& texts) {
  json::array array;
  for (const auto& text : texts) array.push_back(plugin::api::toJson(text));
  return array;
}

json::value optionalTimestamp(const std::optional<courses::Timestamp>& at) {
  return at ? json::value(*at) : json::value(nullptr);
}

}  // namespace

json::object toJson(const courses::Programme& programme) {
  return json::object{
      {"id", programme.id},
      {"code", programme.code},
      {"title", toJson(programme.title)},
      {"donor", programme.donor},
      {"starts_on", programme.starts_on},
      {"ends_on", programme.ends_on},
      {"organisations", localizedArray(programme.organisations)},
      {"youth", json::object{{"from", programme.youth.from}, {"to", programme.youth.to}}}};
}

json::object toJson(const courses::Locality& locality) {
  return json::object{{"id", locality.id},
                      {"parent_id", optionalValue(locality.parent_id)},
                      {"kind", courses::toString(locality.kind)},
                      {"name", toJson(locality.name)},
                      {"kato", optionalValue(locality.kato)}};
}

json::object toJson(const courses::Course& course) {
  return json::object{
      {"id", course.id},
      {"programme_id", course.programme_id},
      {"track", course.track},
      {"title", toJson(course.title)},
      {"hours", hoursValue(course.hours)},
      {"rule", json::object{{"min_attendance_percent", course.rule.min_attendance_percent},
                            {"excused_counts", course.rule.excused_counts},
                            {"require_all", course.rule.require_all}}},
      {"gives_certificate", course.gives_certificate},
      {"certificate_language", courses::toString(course.certificate_language)}};
}

json::object toJson(const courses::Cohort& cohort) {
  json::array trainers;
  for (const courses::Id id : cohort.trainer_ids) trainers.push_back(id);
  return json::object{{"id", cohort.id},
                      {"course_id", cohort.course_id},
                      {"locality_id", cohort.locality_id},
                      {"place", cohort.place},
                      {"starts_on", cohort.starts_on},
                      {"ends_on", cohort.ends_on},
                      {"language", courses::toString(cohort.language)},
                      {"trainer_ids", std::move(trainers)}};
}

json::object toJson(const courses::Session& session) {
  return json::object{{"id", session.id},
                      {"cohort_id", session.cohort_id},
                      {"starts_at", session.starts_at},
                      {"duration_minutes", session.duration_minutes},
                      {"topic", session.topic}};
}

json::array vulnerableToJson(courses::VulnerableSet set) {
  json::array names;
  for (const auto group : courses::kAllVulnerableGroups) {
    if ((set & static_cast<courses::VulnerableSet>(group)) != 0) {
      names.push_back(json::value(courses::toString(group)));
    }
  }
  return names;
}

json::object toJson(const courses::Participant& participant) {
  const courses::Demographics& d = participant.demographics;
  return json::object{{"id", participant.id},
                      {"full_name", participant.full_name},
                      {"gender", courses::toString(d.gender)},
                      {"birth_year", d.birth_year},
                      {"locality_id", d.locality_id},
                      {"affiliation", courses::toString(d.affiliation)},
                      {"vulnerable", vulnerableToJson(d.vulnerable)},
                      {"phone", optionalValue(participant.phone)},
                      {"email", optionalValue(participant.email)},
                      {"consent", participant.consent},
                      {"created_at", participant.created_at},
                      {"updated_at", participant.updated_at}};
}

json::object toJson(const courses::Enrolment& enrolment) {
  return json::object{{"id", enrolment.id},
                      {"participant_id", enrolment.participant_id},
                      {"cohort_id", enrolment.cohort_id},
                      {"registered_by", enrolment.registered_by},
                      {"registered_at", enrolment.registered_at},
                      {"participant_name", enrolment.participant_name},
                      {"snapshot", toJson(enrolment.snapshot)}};
}

json::object toJson(const courses::Account& account) {
  json::object object{{"id", account.id},
                      {"login", account.login},
                      {"display_name", account.display_name},
                      {"role", courses::toString(account.role)},
                      {"disabled", account.disabled}};
  if (account.language) {
    object["language"] = courses::toString(*account.language);
  } else {
    object["language"] = nullptr;
  }
  if (account.participant_id) object["participant_id"] = *account.participant_id;
  return object;
}

json::object toJson(const courses::Profile& profile) {
  json::array enrolments;
  for (const auto& enrolment : profile.enrolments) enrolments.push_back(toJson(enrolment));
  return json::object{
      {"account", toJson(profile.account)},
      {"participant",
       profile.participant ? json::value(toJson(*profile.participant)) : json::value(nullptr)},
      {"enrolments", std::move(enrolments)}};
}

json::object loginResultToJson(const std::string& token, const courses::Timestamp& expires_at,
                               const courses::Account& account) {
  return json::object{{"token", token}, {"expires_at", expires_at}, {"account", toJson(account)}};
}

json::object sheetToJson(courses::Id session_id, const std::vector<courses::SheetRow>& rows) {
  json::array items;
  items.reserve(rows.size());
  for (const auto& row : rows) {
    json::object item{{"enrolment_id", row.enrolment_id},
                      {"participant_id", row.participant_id},
                      {"participant_name", row.participant_name}};
    if (row.mark) {
      item["status"] = courses::toString(row.mark->status);
      item["marked_by"] = row.mark->marked_by;
      item["marked_at"] = row.mark->marked_at;
    } else {
      item["status"] = nullptr;
      item["marked_by"] = nullptr;
      item["marked_at"] = nullptr;
    }
    items.push_back(std::move(item));
  }
  return json::object{{"session_id", session_id}, {"rows", std::move(items)}};
}

namespace {

void appendJsonText(std::string& out, const json::value& value) {
  switch (value.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(member.key()));
        out += ':';
        appendJsonText(out, member.value());
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        appendJsonText(out, item);
      }
      out += ']';
      return;
    }
    case json::kind::double_: {
      const double number = value.get_double();
      if (!std::isfinite(number)) {
        out += "null";
        return;
      }
      // Shortest round-trip form: fixed notation for everyday magnitudes (0.0001, 3290.5, 24),
      // scientific only for the very small and the very large.
      const double magnitude = std::fabs(number);
      const bool everyday = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
      char buffer[64];
      const auto [end, error] =
          everyday ? std::to_chars(buffer, buffer + sizeof buffer, number, std::chars_format::fixed)
                   : std::to_chars(buffer, buffer + sizeof buffer, number);
      if (error != std::errc{}) {
        out += json::serialize(value);
        return;
      }
      out.append(buffer, end);
      return;
    }
    default:
      out += json::serialize(value);
      return;
  }
}

}  // namespace

std::string toJsonText(const json::value& value) {
  std::string out;
  appendJsonText(out, value);
  return out;
}

}  // namespace plugin::api

namespace plugin::api {

json::object certificateToJson(const courses::Certificate& certificate,
                               std::string_view public_base_url) {
  const std::string verify_url =
      certify::verifyUrl(public_base_url, certificate.serial, certificate.verification_token);
  const std::string payload = certificates::canonicalPayload(certify::signedFields(certificate));
  json::array trainers;
  for (const auto& trainer : certificate.trainers) trainers.push_back(json::value(trainer));
  return json::object{
      {"id", certificate.id},
      {"serial", certificate.serial},
      {"status", courses::toString(certificate.status)},
      {"enrolment_id", certificate.enrolment_id},
      {"participant_id", certificate.participant_id},
      {"cohort_id", certificate.cohort_id},
      {"course_id", certificate.course_id},
      {"programme_id", certificate.programme_id},
      {"language", courses::toString(certificate.language)},
      {"full_name", certificate.full_name},
      {"track", certificate.track},
      {"course_title", toJson(certificate.course_title)},
      {"hours", hoursValue(certificate.hours)},
      {"starts_on", certificate.starts_on},
      {"ends_on", certificate.ends_on},
      {"place", certificate.place},
      {"locality", toJson(certificate.locality)},
      {"sessions_attended", certificate.sessions_attended},
      {"sessions_total", certificate.sessions_total},
      {"trainers", std::move(trainers)},
      {"organisations", localizedArray(certificate.organisations)},
      {"issuer", toJson(certificate.issuer)},
      {"waiver_reason", optionalValue(certificate.waiver_reason)},
      {"revoked_reason", optionalValue(certificate.revoked_reason)},
      {"revoked_at", optionalTimestamp(certificate.revoked_at)},
      {"issued_by", certificate.issued_by},
      {"issued_at", certificate.issued_at},
      {"verify_url", verify_url},
      {"qr_payload", certificates::qrPayload(verify_url, payload, certificate.signature)},
      {"pdf_url", "/api/v1/certificates/" + std::to_string(certificate.id) + "/pdf"},
      {"pdf_size", certificate.pdf_size}};
}

json::object certificatesToJson(const std::vector<courses::Certificate>& certificates,
                                std::string_view public_base_url) {
  json::array items;
  items.reserve(certificates.size());
  for (const auto& certificate : certificates) {
    items.push_back(certificateToJson(certificate, public_base_url));
  }
  return json::object{{"items", std::move(items)}};
}

namespace {

json::object eligibilityItem(const courses::Eligibility& item) {
  return json::object{{"enrolment_id", item.enrolment.id},
                      {"participant_id", item.enrolment.participant_id},
                      {"participant_name", item.enrolment.participant_name},
                      {"attended", item.result.attended},
                      {"sessions_total", item.result.sessions_total},
                      {"required", item.result.required},
                      {"completed", item.result.completed},
                      {"reason", item.reason},
                      {"certificate_id", optionalValue(item.valid_certificate_id)}};
}

}  // namespace

json::object cohortIssueToJson(const courses::CertificateService::CohortIssue& issue,
                               std::string_view public_base_url) {
  json::array not_eligible;
  for (const auto& item : issue.not_eligible) {
    json::object entry = eligibilityItem(item);
    entry.erase("completed");
    entry.erase("certificate_id");
    not_eligible.push_back(std::move(entry));
  }
  return json::object{{"issued", certificatesToJson(issue.issued, public_base_url).at("items")},
                      {"already", certificatesToJson(issue.already, public_base_url).at("items")},
                      {"not_eligible", std::move(not_eligible)}};
}

json::object eligibilityToJson(const std::vector<courses::Eligibility>& items) {
  json::array array;
  array.reserve(items.size());
  for (const auto& item : items) array.push_back(eligibilityItem(item));
  return json::object{{"items", std::move(array)}};
}

json::object auditToJson(const std::vector<courses::CertificateAuditEntry>& entries) {
  json::array items;
  items.reserve(entries.size());
  for (const auto& entry : entries) {
    items.push_back(json::object{{"action", entry.action},
                                 {"account_id", entry.account_id},
                                 {"at", entry.at},
                                 {"reason", optionalValue(entry.reason)}});
  }
  return json::object{{"items", std::move(items)}};
}

json::object verificationToJson(const courses::Certificate& certificate) {
  return json::object{{"status", courses::toString(certificate.status)},
                      {"serial", certificate.serial},
                      {"full_name", certificate.full_name},
                      {"course_title", toJson(certificate.course_title)},
                      {"starts_on", certificate.starts_on},
                      {"ends_on", certificate.ends_on},
                      {"issuer", toJson(certificate.issuer)},
                      {"revoked_at", optionalTimestamp(certificate.revoked_at)}};
}

json::object accessCodeToJson(const std::string& login, const std::string& code,
                              const courses::Timestamp& expires_at) {
  return json::object{{"login", login}, {"code", code}, {"expires_at", expires_at}};
}

json::object publicKeyToJson(const std::string& public_key, const std::string& key_id) {
  return json::object{{"algorithm", "Ed25519"}, {"public_key", public_key}, {"key_id", key_id}};
}

namespace {

json::value optionalNumber(const std::optional<double>& number) {
  return number ? hoursValue(*number) : json::value(nullptr);
}

json::value optionalTrack(const std::optional<std::string>& track) {
  return track ? json::value(*track) : json::value(nullptr);
}

json::object measuresToJson(const courses::MeasureValues& values) {
  json::object object;
  json::array hidden;
  for (const courses::Measure measure : courses::kAllMeasures) {
    const std::string name(courses::toString(measure));
    if (values.isHidden(measure)) hidden.push_back(json::value(name));
    object[name] = optionalNumber(values.value(measure));
  }
  object["hidden"] = std::move(hidden);
  return object;
}

json::object cellToJson(const courses::TotalsCell& cell) {
  json::array keys;
  for (const auto& key : cell.keys) keys.push_back(json::value(key));
  return json::object{{"keys", std::move(keys)}, {"measures", measuresToJson(cell.values)}};
}

}  // namespace

json::object totalsToJson(const courses::TotalsReport& report,
                          const std::optional<courses::Programme>& programme,
                          const std::vector<std::string>& notes) {
  const courses::TotalsQuery& query = report.query;
  json::object object;
  if (programme) {
    object["programme"] = json::object{
        {"id", programme->id}, {"code", programme->code}, {"title", toJson(programme->title)}};
  } else {
    object["programme"] = nullptr;
  }
  object["period"] = json::object{{"from", optionalValue(query.period.from)},
                                  {"to", optionalValue(query.period.to)}};
  object["track"] = optionalTrack(query.track);
  json::array by;
  for (const courses::Dimension dimension : query.by) {
    by.push_back(json::value(courses::toString(dimension)));
  }
  object["by"] = std::move(by);
  json::array bands;
  for (const courses::AgeBand& band : report.age_bands) {
    bands.push_back(json::object{{"key", band.key()},
                                 {"from", band.from},
                                 {"to", band.to ? json::value(*band.to) : json::value(nullptr)},
                                 {"youth", band.youth}});
  }
  object["age_bands"] = std::move(bands);
  object["suppressed_below"] = query.suppress_below;
  object["overlapping"] = report.overlapping;
  json::array note_array;
  for (const auto& note : notes) note_array.push_back(json::value(note));
  object["notes"] = std::move(note_array);
  object["total"] = measuresToJson(report.total);

  json::array dimensions;
  json::array margins;
  for (std::size_t d = 0; d < query.by.size(); ++d) {
    const courses::Dimension dimension = query.by[d];
    json::array values;
    if (d < report.values.size()) {
      for (const courses::DimensionValue& value : report.values[d]) {
        json::object item{{"key", value.key}, {"label", toJson(value.label)}};
        if (dimension == courses::Dimension::age_band) item["youth"] = value.youth;
        values.push_back(std::move(item));
      }
    }
    dimensions.push_back(json::object{{"name", courses::toString(dimension)},
                                      {"label", toJson(courses::label(dimension))},
                                      {"values", std::move(values)}});
    json::array margin;
    if (d < report.margins.size()) {
      for (const courses::TotalsCell& cell : report.margins[d]) margin.push_back(cellToJson(cell));
    }
    margins.push_back(std::move(margin));
  }
  object["dimensions"] = std::move(dimensions);
  object["margins"] = std::move(margins);
  json::array cells;
  for (const courses::TotalsCell& cell : report.cells) cells.push_back(cellToJson(cell));
  object["cells"] = std::move(cells);

  json::array targets;
  for (const courses::TargetProgress& item : report.targets) {
    targets.push_back(json::object{{"measure", courses::toString(item.target.measure)},
                                   {"track", optionalTrack(item.target.track)},
                                   {"target", item.target.value},
                                   {"actual", item.actual},
                                   {"progress", json::value(item.progress)}});
  }
  object["targets"] = std::move(targets);
  return object;
}

json::object targetsToJson(courses::Id programme_id, const std::vector<courses::Target>& targets) {
  json::array items;
  items.reserve(targets.size());
  for (const courses::Target& target : targets) {
    items.push_back(json::object{{"measure", courses::toString(target.measure)},
                                 {"track", optionalTrack(target.track)},
                                 {"value", target.value}});
  }
  return json::object{{"programme_id", programme_id}, {"targets", std::move(items)}};
}

}  // namespace plugin::api
