#include "courses/labels.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "courses/totals.hpp"

namespace courses {

namespace {

LocalizedText same(std::string text) {
  return LocalizedText{text, text, std::move(text)};
}

}  // namespace

LocalizedText notStatedLabel() {
  return {"Көрсетілмеген", "Не указано", "Not stated"};
}

LocalizedText genderLabel(Gender gender) {
  switch (gender) {
    case Gender::female:
      return {"Әйел", "Женский", "Female"};
    case Gender::male:
      return {"Ер", "Мужской", "Male"};
    case Gender::undisclosed:
      break;
  }
  return notStatedLabel();
}

LocalizedText affiliationLabel(Affiliation affiliation) {
  switch (affiliation) {
    case Affiliation::local_government:
      return {"Жергілікті басқару органдары", "Органы местного управления", "Local government"};
    case Affiliation::civil_society:
      return {"Азаматтық қоғам", "Гражданское общество", "Civil society"};
    case Affiliation::community_member:
      return {"Жергілікті тұрғын", "Местный житель", "Community member"};
    case Affiliation::entrepreneur:
      return {"Кәсіпкер", "Предприниматель", "Entrepreneur"};
    case Affiliation::public_servant:
      return {"Мемлекеттік қызметші", "Государственный служащий", "Public servant"};
    case Affiliation::other:
      break;
  }
  return {"Басқа", "Другое", "Other"};
}

LocalizedText vulnerableGroupLabel(VulnerableGroup group) {
  switch (group) {
    case VulnerableGroup::disability:
      return {"Мүгедектігі бар адамдар", "Люди с инвалидностью", "People with disabilities"};
    case VulnerableGroup::youth:
      return {"Жастар", "Молодёжь", "Youth"};
    case VulnerableGroup::mother_of_many_children:
      return {"Көп балалы аналар", "Многодетные матери", "Mothers of many children"};
    case VulnerableGroup::single_parent:
      return {"Жалғызбасты ата-аналар", "Одинокие родители", "Single parents"};
    case VulnerableGroup::pensioner:
      return {"Зейнеткерлер", "Пенсионеры", "Pensioners"};
    case VulnerableGroup::unemployed:
      break;
  }
  return {"Жұмыссыздар", "Безработные", "Unemployed"};
}

LocalizedText ageBandLabel(const AgeBand& band) {
  std::string range = std::to_string(band.from);
  range += band.to ? "–" + std::to_string(*band.to) : "+";
  if (!band.youth) return same(range);
  return {range + " (жастар)", range + " (молодёжь)", range + " (youth)"};
}

LocalizedText cohortLabel(const std::string& place, const Date& starts_on, const Date& ends_on) {
  return same(place + ", " + starts_on + "–" + ends_on);
}

LocalizedText label(Measure measure) {
  switch (measure) {
    case Measure::enrolled:
      return {"Тіркелгендер", "Зачислено", "Enrolled"};
    case Measure::reached:
      return {"Қамтылғандар", "Охвачено", "Reached"};
    case Measure::trained:
      return {"Оқытылғандар", "Обучено", "Trained"};
    case Measure::trained_with_waiver:
      return {"Оның ішінде ерекше шешіммен", "В том числе по особому решению",
              "Of them with a waiver"};
    case Measure::certified:
      return {"Сертификат алғандар", "Получили сертификат", "Certified"};
    case Measure::sessions:
      return {"Өткізілген сабақтар", "Проведено занятий", "Sessions delivered"};
    case Measure::participant_hours:
      return {"Қатысушы-сағаттар", "Человеко-часы", "Participant-hours"};
    case Measure::attendance_rate:
      return {"Қатысу деңгейі", "Посещаемость", "Attendance rate"};
  }
  return same(std::string(toString(measure)));
}

LocalizedText label(Dimension dimension) {
  switch (dimension) {
    case Dimension::track:
      return {"Бағыт", "Направление", "Track"};
    case Dimension::course:
      return {"Курс", "Курс", "Course"};
    case Dimension::cohort:
      return {"Топ", "Группа", "Cohort"};
    case Dimension::gender:
      return {"Жынысы", "Пол", "Gender"};
    case Dimension::age_band:
      return {"Жас тобы", "Возрастная группа", "Age band"};
    case Dimension::region:
      return {"Облыс", "Область", "Region"};
    case Dimension::district:
      return {"Аудан", "Район", "District"};
    case Dimension::settlement:
      return {"Елді мекен", "Населённый пункт", "Settlement"};
    case Dimension::locality:
      return {"Тұрғылықты жері", "Место жительства", "Home locality"};
    case Dimension::affiliation:
      return {"Қызмет саласы", "Сфера деятельности", "Affiliation"};
    case Dimension::vulnerable_group:
      return {"Осал топ", "Уязвимая группа", "Vulnerable group"};
  }
  return same(std::string(toString(dimension)));
}

std::vector<std::string> knownTracks() {
  return {"inclusive_planning", "entrepreneurship", "study_visit", "information_event"};
}

LocalizedText trackLabel(std::string_view track) {
  if (track == "inclusive_planning") {
    return {"Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning"};
  }
  if (track == "entrepreneurship")
    return {"Кәсіпкерлік", "Предпринимательство", "Entrepreneurship"};
  if (track == "study_visit") return {"Тағылымдама", "Учебный визит", "Study visit"};
  if (track == "information_event") {
    return {"Ақпараттық іс-шара", "Информационное мероприятие", "Information event"};
  }
  std::string words(track);
  std::replace(words.begin(), words.end(), '_', ' ');
  return same(std::move(words));
}

}  // namespace courses
