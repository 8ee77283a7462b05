#include "person_record.hpp"

#include "certificates/content.hpp"
#include "certificates/record.hpp"
#include "courses/labels.hpp"

namespace plugin::api {
namespace {

using courses::Language;

/// The document's fixed words in one language.
struct Words {
  const char* title;
  const char* subtitle;  ///< "%s" is the date and time of the export
  const char* person;
  const char* full_name;
  const char* gender;
  const char* birth_year;
  const char* home_locality;
  const char* affiliation;
  const char* vulnerable;
  const char* phone;
  const char* email;
  const char* consent;
  const char* consent_withdrawn;
  const char* erased;
  const char* registered;
  const char* yes;
  const char* no;
  const char* none;
  const char* enrolments;
  const char* course;
  const char* dates;
  const char* place;
  const char* snapshot;
  const char* attendance;
  const char* session;
  const char* status;
  const char* cancelled;
  const char* certificates;
  const char* serial;
  const char* valid;
  const char* revoked;
  const char* links;
  const char* confirmed_by;
  const char* account;
  const char* login;
  const char* disabled;
  const char* history;
  const char* by;
  const char* reason;
  const char* system;
  const char* footer;
};

constexpr Words kKk{"Qatysu-дағы жеке деректер",
                    "Дерек көшірмесі, %s",
                    "Адам",
                    "Аты-жөні",
                    "Жынысы",
                    "Туған жылы",
                    "Тұратын жері",
                    "Қызмет саласы",
                    "Осал топтар",
                    "Телефон",
                    "E-mail",
                    "Деректерді өңдеуге келісім",
                    "Келісім кері қайтарылды",
                    "Деректері өшірілді",
                    "Тіркелген",
                    "иә",
                    "жоқ",
                    "Жоқ",
                    "Курстарға тіркелу",
                    "Курс",
                    "Мерзімі",
                    "Өтетін орны",
                    "Тіркелу кезіндегі деректер",
                    "Қатысу белгілері",
                    "Сабақ",
                    "Белгі",
                    "сабақ болмады",
                    "Сертификаттар",
                    "Нөмірі",
                    "жарамды",
                    "күші жойылған",
                    "Тіркеу растаулары",
                    "Растаған тіркелгі",
                    "Тіркелгі",
                    "Логин",
                    "бұғатталған",
                    "Өзгерістер тарихы",
                    "Кім",
                    "Себебі",
                    "жүйе",
                    "Qatysu · бұл құжатта Qatysu сақтайтын барлық деректер бар"};
constexpr Words kRu{"Персональные данные в Qatysu",
                    "Выгрузка данных, %s",
                    "Человек",
                    "ФИО",
                    "Пол",
                    "Год рождения",
                    "Место жительства",
                    "Сфера деятельности",
                    "Уязвимые группы",
                    "Телефон",
                    "E-mail",
                    "Согласие на обработку данных",
                    "Согласие отозвано",
                    "Данные удалены",
                    "Зарегистрирован(а)",
                    "да",
                    "нет",
                    "Нет",
                    "Записи на курсы",
                    "Курс",
                    "Сроки",
                    "Место проведения",
                    "Данные на момент записи",
                    "Отметки посещаемости",
                    "Занятие",
                    "Отметка",
                    "занятие отменено",
                    "Сертификаты",
                    "Номер",
                    "действителен",
                    "отозван",
                    "Подтверждения личности",
                    "Подтвердившая учётная запись",
                    "Учётная запись",
                    "Логин",
                    "заблокирована",
                    "История изменений",
                    "Кто",
                    "Причина",
                    "система",
                    "Qatysu · в этом документе все данные, которые хранит Qatysu"};
constexpr Words kEn{"Personal data held in Qatysu",
                    "Data export, %s",
                    "Person",
                    "Full name",
                    "Gender",
                    "Birth year",
                    "Home locality",
                    "Affiliation",
                    "Vulnerable groups",
                    "Phone",
                    "E-mail",
                    "Consent to data processing",
                    "Consent withdrawn",
                    "Erased",
                    "Registered",
                    "yes",
                    "no",
                    "None",
                    "Enrolments",
                    "Course",
                    "Dates",
                    "Place",
                    "Recorded at enrolment",
                    "Attendance marks",
                    "Session",
                    "Mark",
                    "session cancelled",
                    "Certificates",
                    "Serial",
                    "valid",
                    "revoked",
                    "Confirmations of identity",
                    "Confirmed by account",
                    "Account",
                    "Login",
                    "disabled",
                    "History of changes",
                    "By",
                    "Reason",
                    "the system",
                    "Qatysu · this document holds everything Qatysu stores about the person"};

const Words& wordsFor(Language language) {
  switch (language) {
    case Language::kk:
      return kKk;
    case Language::ru:
      return kRu;
    case Language::en:
      break;
  }
  return kEn;
}

const std::string& pick(const courses::LocalizedText& text, Language language) {
  switch (language) {
    case Language::kk:
      return text.kk;
    case Language::ru:
      return text.ru;
    case Language::en:
      break;
  }
  return text.en;
}

certificates::Layout layoutOf(Language language) {
  switch (language) {
    case Language::kk:
      return certificates::Layout::kk;
    case Language::ru:
      return certificates::Layout::ru;
    case Language::en:
      break;
  }
  return certificates::Layout::en;
}

std::string statusLabel(courses::AttendanceStatus status, Language language) {
  // The sheet's words for each mark.
  using S = courses::AttendanceStatus;
  static constexpr const char* kWords[3][4] = {
      {"келді", "кешікті", "себепті", "келмеді"},
      {"был(а)", "опоздал(а)", "по уважительной", "не был(а)"},
      {"present", "late", "excused", "absent"}};
  const int row = language == Language::kk ? 0 : language == Language::ru ? 1 : 2;
  const int column = status == S::present   ? 0
                     : status == S::late    ? 1
                     : status == S::excused ? 2
                                            : 3;
  return kWords[row][column];
}

/// "2019-03-02T09:00:00Z" as the date in `language` and the time, UTC.
std::string dateTime(const courses::Timestamp& at, Language language) {
  if (at.size() < 16) return at;
  return certificates::formatDate(at.substr(0, 10), layoutOf(language)) + " " + at.substr(11, 5) +
         " UTC";
}

std::string vulnerableText(courses::VulnerableSet set, Language language, const Words& words) {
  std::string out;
  for (const auto group : courses::kAllVulnerableGroups) {
    if ((set & static_cast<courses::VulnerableSet>(group)) == 0) continue;
    if (!out.empty()) out += ", ";
    out += pick(courses::vulnerableGroupLabel(group), language);
  }
  return out.empty() ? words.none : out;
}

std::string orNone(const std::optional<std::string>& text, const Words& words) {
  return text && !text->empty() ? *text : std::string(words.none);
}

}  // namespace

std::string personRecordPdf(const courses::PersonExport& data, const certificates::FontSet& fonts) {
  const Language language = data.language;
  const Words& w = wordsFor(language);
  certificates::Record record;
  record.language = std::string(courses::toString(language));
  record.title = w.title;
  record.subtitle = w.subtitle;
  record.subtitle.replace(record.subtitle.find("%s"), 2, dateTime(data.exported_at, language));
  record.footer = w.footer;

  const courses::Participant& p = data.person;
  const courses::Demographics& d = p.demographics;
  certificates::RecordSection person{w.person, {}, w.none};
  std::vector<certificates::RecordField> fields{
      {w.full_name, p.full_name},
      {w.gender, pick(courses::genderLabel(d.gender), language)},
      {w.birth_year, std::to_string(d.birth_year)},
      {w.home_locality, pick(data.home_locality, language)},
      {w.affiliation, pick(courses::affiliationLabel(d.affiliation), language)},
      {w.vulnerable, vulnerableText(d.vulnerable, language, w)},
      {w.phone, orNone(p.phone, w)},
      {w.email, orNone(p.email, w)},
      {w.consent, p.consent ? w.yes : w.no},
      {w.registered, dateTime(p.created_at, language)}};
  if (data.state.consent_withdrawn_at) {
    fields.push_back({w.consent_withdrawn, dateTime(*data.state.consent_withdrawn_at, language)});
  }
  if (data.state.erased_at) fields.push_back({w.erased, dateTime(*data.state.erased_at, language)});
  person.items.push_back({"", std::move(fields)});
  record.sections.push_back(std::move(person));

  certificates::RecordSection enrolments{w.enrolments, {}, w.none};
  for (const auto& item : data.enrolments) {
    const courses::Demographics& s = item.enrolment.snapshot;
    enrolments.items.push_back(
        {pick(item.course.title, language) + " · " + item.programme.code,
         {{w.dates, certificates::formatPeriod(item.cohort.starts_on, item.cohort.ends_on,
                                               layoutOf(language))},
          {w.place, item.cohort.place + ", " + pick(item.locality, language)},
          {w.registered, dateTime(item.enrolment.registered_at, language)},
          {w.snapshot, pick(courses::genderLabel(s.gender), language) + ", " +
                           std::to_string(s.birth_year) + ", " +
                           pick(courses::affiliationLabel(s.affiliation), language) + ", " +
                           vulnerableText(s.vulnerable, language, w)}}});
  }
  record.sections.push_back(std::move(enrolments));

  certificates::RecordSection marks{w.attendance, {}, w.none};
  certificates::RecordSection::Item mark_list;
  for (const auto& mark : data.marks) {
    std::string value = statusLabel(mark.status, language);
    if (mark.session_cancelled) value += " (" + std::string(w.cancelled) + ")";
    mark_list.fields.push_back(
        {dateTime(mark.session_starts_at, language) + " · " + mark.topic, std::move(value)});
  }
  if (!mark_list.fields.empty()) marks.items.push_back(std::move(mark_list));
  record.sections.push_back(std::move(marks));

  certificates::RecordSection certificates_section{w.certificates, {}, w.none};
  for (const auto& c : data.certificates) {
    std::vector<certificates::RecordField> fields_of{
        {w.course, pick(c.course_title, language)},
        {w.full_name, c.full_name},
        {w.status, c.status == courses::CertificateStatus::valid ? w.valid : w.revoked}};
    if (c.revoked_reason) fields_of.push_back({w.reason, *c.revoked_reason});
    certificates_section.items.push_back({std::string(w.serial) + " " + c.serial, fields_of});
  }
  record.sections.push_back(std::move(certificates_section));

  certificates::RecordSection links{w.links, {}, w.none};
  for (const auto& link : data.links) {
    links.items.push_back({"",
                           {{w.confirmed_by, "#" + std::to_string(link.account_id)},
                            {w.dates, dateTime(link.linked_at, language)}}});
  }
  record.sections.push_back(std::move(links));

  certificates::RecordSection account{w.account, {}, w.none};
  if (data.account) {
    std::string login = data.account->login;
    if (data.account->disabled) login += " (" + std::string(w.disabled) + ")";
    account.items.push_back(
        {"", {{w.login, login}, {w.registered, dateTime(data.account->created_at, language)}}});
  }
  record.sections.push_back(std::move(account));

  certificates::RecordSection history{w.history, {}, w.none};
  for (const auto& entry : data.history) {
    std::vector<certificates::RecordField> fields_of{
        {w.by,
         entry.account_id == 0 ? std::string(w.system) : "#" + std::to_string(entry.account_id)}};
    if (entry.reason) fields_of.push_back({w.reason, *entry.reason});
    for (const auto& field : entry.fields) {
      fields_of.push_back({field.field, field.before + " → " + field.after});
    }
    history.items.push_back({dateTime(entry.at, language) + " · " + entry.action + " · " +
                                 std::string(courses::toString(entry.entity)) + " " +
                                 std::to_string(entry.entity_id),
                             std::move(fields_of)});
  }
  record.sections.push_back(std::move(history));
  return certificates::renderRecord(record, fonts);
}

}  // namespace plugin::api
