#include "plugin/cli/demo.hpp"

#include <cstdint>
#include <cstdio>
#include <random>
#include <set>
#include <utility>

#include "courses/error.hpp"
#include "courses/rules.hpp"
#include "courses/account_service.hpp"
#include "plugin/security/passwords.hpp"
#include "plugin/security/secrets.hpp"

namespace plugin::cli {

namespace {

using courses::AttendanceStatus;
using courses::Gender;
using courses::Language;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: std::mt19937's output sequence is fixed by the standard, while the
// standard distributions are not, so values are derived from the raw output only.
class Rng {
 public:
  explicit Rng(std::uint32_t seed) : engine_(seed) {}
  /// A value in [0, n).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_()) % n; }
  /// True with probability num/den.
  bool chance(std::size_t num, std::size_t den) { return below(den) < num; }

 private:
  std::mt19937 engine_;
};

constexpr std::uint32_t kSeed = 20170201;

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic for session dates (days since 1970-01-01; H. Hinnant's algorithms).
long long daysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long long>(era) * 146097 + doe - 719468;
}

struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
};

CivilDate civilFromDays(long long z) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1;
  const long long m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

std::string isoDate(long long days) {
  const CivilDate c = civilFromDays(days);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buffer;
}

std::string isoTimestamp(long long days, int hour_utc) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "T%02d:00:00Z", hour_utc);
  return isoDate(days) + buffer;
}

// ---------------------------------------------------------------------------------------------
// Invented people: first names and surnames are combined at random, so nobody in the demo is a
// real person. Kazakh names carry ә ғ қ ң ө ұ ү һ і between them.
constexpr const char* kKazakhMale[] = {
    "Қайрат", "Ержан", "Нұрлан", "Ғалым",    "Сұлтан", "Бауыржан", "Төлеген", "Әлібек",
    "Дәурен", "Жеңіс", "Асқар",  "Мейіржан", "Ерғали", "Талғат",   "Баһадүр", "Өмірзақ"};
constexpr const char* kKazakhFemale[] = {
    "Айгүл", "Гүлнар", "Әсел",  "Ұлжан",   "Гауһар",   "Мөлдір", "Жаңыл",  "Ақбота",
    "Дана",  "Сәуле",  "Зәуре", "Меруерт", "Қарлығаш", "Айнұр",  "Гүлжан", "Шынар"};
// Male forms; the female form adds "а".
constexpr const char* kKazakhSurnames[] = {
    "Сәрсенбаев", "Жұмабаев", "Қасымов", "Әбілқасымов", "Төлеубаев",     "Мұқанов",   "Серікбаев",
    "Нұрпейісов", "Оспанов",  "Ахметов", "Ыбыраев",     "Құдайбергенов", "Теңізбаев", "Өтегенов",
    "Ғабдуллин",  "Исабеков", "Шәкенов", "Рахымжанов",  "Байжанов",      "Көшербаев"};
constexpr const char* kRussianMale[] = {"Сергей",  "Андрей",  "Виктор",   "Николай",
                                        "Алексей", "Дмитрий", "Владимир", "Игорь",
                                        "Юрий",    "Евгений", "Михаил",   "Павел"};
constexpr const char* kRussianFemale[] = {"Ольга",    "Наталья", "Елена",     "Татьяна",
                                          "Светлана", "Ирина",   "Людмила",   "Галина",
                                          "Анна",     "Марина",  "Валентина", "Оксана"};
constexpr const char* kRussianSurnames[] = {
    "Кузнецов",   "Попов",   "Лебедев", "Морозов", "Волков",  "Соколов",
    "Новиков",    "Фёдоров", "Зайцев",  "Павлов",  "Семёнов", "Голубев",
    "Виноградов", "Белов",   "Комаров", "Орлов",   "Тарасов", "Жуков"};

template <std::size_t N>
const char* pick(Rng& rng, const char* const (&names)[N]) {
  return names[rng.below(N)];
}

// ---------------------------------------------------------------------------------------------
// Localities: indexes into DemoPlan::localities.
enum LocalityIndex : std::size_t {
  kEastKazakhstan,
  kKaraganda,
  kGlubokoeDistrict,
  kShemonaikhaDistrict,
  kNuraDistrict,
  kGlubokoe,
  kBelousovka,
  kKozhokhovo,
  kPervomaisky,
  kVolchansky,
  kNura,
  kZharaspai,
  kIzendi,
  kAkmeshit,
  kMynbayev,
};
constexpr std::size_t kFirstPilotPlace = kGlubokoe;
constexpr std::size_t kPilotPlaces = 10;

enum AccountIndex : std::size_t { kTrainerGlubokoe, kTrainerShemonaikha, kTrainerNura, kLearner };
enum CourseIndex : std::size_t { kInclusivePlanning, kEntrepreneurship, kStudyVisit };

DemoLocality locality(courses::LocalityKind kind, std::optional<std::size_t> parent, const char* kk,
                      const char* ru, const char* en) {
  DemoLocality l;
  l.locality.kind = kind;
  l.locality.name = {kk, ru, en};
  l.parent = parent;
  return l;
}

std::vector<DemoLocality> demoLocalities() {
  using K = courses::LocalityKind;
  // KATO codes stay empty: the demo does not guess official codes.
  return {
      locality(K::region, std::nullopt, "Шығыс Қазақстан облысы", "Восточно-Казахстанская область",
               "East Kazakhstan Region"),
      locality(K::region, std::nullopt, "Қарағанды облысы", "Карагандинская область",
               "Karaganda Region"),
      locality(K::district, kEastKazakhstan, "Глубокое ауданы", "Глубоковский район",
               "Glubokoe District"),
      locality(K::district, kEastKazakhstan, "Шемонаиха ауданы", "Шемонаихинский район",
               "Shemonaikha District"),
      locality(K::district, kKaraganda, "Нұра ауданы", "Нуринский район", "Nura District"),
      locality(K::settlement, kGlubokoeDistrict, "Глубокое кенті", "посёлок Глубокое",
               "Glubokoe settlement"),
      locality(K::settlement, kGlubokoeDistrict, "Белоусовка кенті", "посёлок Белоусовка",
               "Belousovka settlement"),
      locality(K::rural_district, kGlubokoeDistrict, "Кожохово ауылдық округі",
               "Кожоховский сельский округ", "Kozhokhovo rural district"),
      locality(K::rural_district, kShemonaikhaDistrict, "Первомайский ауылдық округі",
               "Первомайский сельский округ", "Pervomaisky rural district"),
      locality(K::rural_district, kShemonaikhaDistrict, "Волчанский ауылдық округі",
               "Волчанский сельский округ", "Volchansky rural district"),
      locality(K::settlement, kNuraDistrict, "Нұра кенті", "посёлок Нура", "Nura settlement"),
      locality(K::rural_district, kNuraDistrict, "Жараспай ауылдық округі",
               "Жараспайский сельский округ", "Zharaspai rural district"),
      locality(K::rural_district, kNuraDistrict, "Ізенді ауылдық округі",
               "Изендинский сельский округ", "Izendi rural district"),
      locality(K::rural_district, kNuraDistrict, "Ақмешіт ауылдық округі",
               "Акмешитский сельский округ", "Akmeshit rural district"),
      locality(K::rural_district, kNuraDistrict, "К. Мыңбаев атындағы ауылдық округі",
               "сельский округ имени К. Мынбаева", "K. Mynbayev rural district"),
  };
}

std::size_t trainerFor(std::size_t place) {
  if (place == kGlubokoe || place == kBelousovka || place == kKozhokhovo) return kTrainerGlubokoe;
  if (place == kPervomaisky || place == kVolchansky) return kTrainerShemonaikha;
  return kTrainerNura;
}

bool inEastKazakhstan(std::size_t place) {
  return place <= kVolchansky;
}

Language languageFor(std::size_t place) {
  switch (place) {
    case kKozhokhovo:
    case kVolchansky:
    case kZharaspai:
    case kIzendi:
    case kAkmeshit:
    case kMynbayev:
      return Language::kk;
    default:
      return Language::ru;
  }
}

struct Topic {
  const char* kk;
  const char* ru;
};

constexpr Topic kPlanningTopics[] = {
    {"Жергілікті дамуға аумақтық көзқарас", "Территориальный подход к местному развитию"},
    {"Мүдделі тараптарды анықтау", "Определение заинтересованных сторон"},
    {"Ауыл қажеттіліктерін бағалау", "Оценка потребностей села"},
    {"Инклюзивті жоспарлау әдістері", "Методы инклюзивного планирования"},
    {"Ауылды дамыту жоспарының жобасы", "Проект плана развития села"},
    {"Жоспарды талқылау және бекіту", "Обсуждение и утверждение плана"},
};
constexpr Topic kEntrepreneurshipTopics[] = {
    {"Бизнес-идея және нарықты зерттеу", "Бизнес-идея и изучение рынка"},
    {"Бизнес-жоспар құру", "Составление бизнес-плана"},
    {"Қаржылық жоспарлау", "Финансовое планирование"},
    {"Салық және тіркеу", "Налоги и регистрация"},
    {"Маркетинг және сату", "Маркетинг и продажи"},
    {"Гранттық өтінімді қорғау", "Защита грантовой заявки"},
};
constexpr Topic kStudyVisitTopics[] = {
    {"Болгариядағы жергілікті өзін-өзі басқару жүйесі",
     "Система местного самоуправления в Болгарии"},
    {"Муниципалдық бюджет және азаматтардың қатысуы", "Муниципальный бюджет и участие граждан"},
    {"Ауылдық қауымдастыққа сапар", "Визит в сельскую общину"},
    {"Жергілікті деңгейдегі әлеуметтік қызметтер", "Социальные услуги на местном уровне"},
    {"Қорытынды және тәжірибені қолдану жоспары", "Итоги и план применения опыта"},
};

// ---------------------------------------------------------------------------------------------
class PlanBuilder {
 public:
  PlanBuilder() : rng_(kSeed) {}

  DemoPlan build() {
    plan_.programme.code = "LSG-EKZ";
    plan_.programme.title = {
        "Шығыс және орталық Қазақстанда жергілікті деңгейдегі мүдделі тараптардың белсенді қатысуы",
        "Активное участие заинтересованных сторон на местном уровне в Восточном и Центральном "
        "Казахстане",
        "Active participation of local stakeholders in East and Central Kazakhstan"};
    plan_.programme.donor = "European Union";
    plan_.programme.starts_on = "2017-02-01";
    plan_.programme.ends_on = "2020-01-31";
    // The organisations that ran the programme (organisations, not people); the first one issues
    // the certificates.
    plan_.programme.organisations = {
        {"«АРГО» азаматтық қоғам қауымдастығы", "Ассоциация гражданского общества «АРГО»",
         "ARGO civil society association"},
        {"Жергілікті өзін-өзі басқаруды дамыту орталығы", "Центр развития местного самоуправления",
         "Local Self-Government Development Centre"},
        {"Қарағанды облыстық «ЭКОЦЕНТР»", "Карагандинский областной «ЭКОЦЕНТР»",
         "Karaganda regional ECOCENTER"},
        {"Жергілікті басқаруды реформалау қоры (Болгария)",
         "Фонд реформы местного самоуправления (Болгария)",
         "Foundation for Local Government Reform (Bulgaria)"},
    };
    plan_.localities = demoLocalities();
    addCourses();
    addAccounts();

    // Inclusive planning: one cohort in each pilot place; six people complete it and one, who
    // takes no other course, does not.
    std::vector<std::vector<std::size_t>> planners(kPilotPlaces);
    for (std::size_t i = 0; i < kPilotPlaces; ++i) {
      const std::size_t place = kFirstPilotPlace + i;
      const std::size_t cohort =
          addCohort(kInclusivePlanning, place, {trainerFor(place)},
                    daysFromCivil(2017, 10, 2) + static_cast<long long>(14 * i),
                    /*hour_utc=*/4, /*minutes=*/240, kPlanningTopics);
      for (int k = 0; k < 6; ++k) {
        const std::size_t person = addPerson(place, plannerAffiliation(k), 1958, 1996);
        planners[i].push_back(person);
        enrol(person, cohort, true);
      }
      enrol(addPerson(place, courses::Affiliation::community_member, 1960, 1999), cohort, false);
    }

    // Entrepreneurship in five places: four planners from the place and six newcomers complete
    // it; in three places a planner drops out, in two a newcomer does.
    constexpr std::size_t kBusinessPlaces[] = {kGlubokoe, kBelousovka, kPervomaisky, kNura,
                                               kZharaspai};
    for (std::size_t i = 0; i < std::size(kBusinessPlaces); ++i) {
      const std::size_t place = kBusinessPlaces[i];
      const auto& local_planners = planners[place - kFirstPilotPlace];
      const std::size_t cohort =
          addCohort(kEntrepreneurship, place, {trainerFor(place)},
                    daysFromCivil(2018, 9, 3) + static_cast<long long>(21 * i), 3, 360,
                    kEntrepreneurshipTopics);
      for (std::size_t k = 0; k < 4; ++k) enrol(local_planners[k], cohort, true);
      for (int k = 0; k < 6; ++k) {
        const auto affiliation = k % 3 == 0 ? courses::Affiliation::community_member
                                            : courses::Affiliation::entrepreneur;
        enrol(addPerson(place, affiliation, 1965, 2000), cohort, true);
      }
      if (i < 3) {
        enrol(local_planners[4], cohort, false);
      } else {
        enrol(addPerson(place, courses::Affiliation::community_member, 1970, 2000), cohort, false);
      }
    }

    // The study visit to Bulgaria: four planners from local government and four district and
    // NGO staff complete every day; one planner misses at least a day.
    const std::size_t visit =
        addCohort(kStudyVisit, kEastKazakhstan, {kTrainerGlubokoe, kTrainerNura},
                  daysFromCivil(2018, 5, 14), 6, 480, kStudyVisitTopics);
    plan_.cohorts[visit].cohort.place = "София, Болгария";
    plan_.cohorts[visit].cohort.language = Language::ru;
    for (const std::size_t place : {kGlubokoe, kPervomaisky, kNura, kIzendi}) {
      enrol(planners[place - kFirstPilotPlace][5], visit, true);
    }
    enrol(addPerson(kGlubokoeDistrict, courses::Affiliation::public_servant, 1970, 1990), visit,
          true);
    enrol(addPerson(kShemonaikhaDistrict, courses::Affiliation::public_servant, 1970, 1990), visit,
          true);
    enrol(addPerson(kNuraDistrict, courses::Affiliation::civil_society, 1970, 1990), visit, true);
    enrol(addPerson(kKaraganda, courses::Affiliation::civil_society, 1970, 1990), visit, true);
    enrol(planners[kAkmeshit - kFirstPilotPlace][5], visit, false);

    // The demo learner is a planner from Nura who also completed entrepreneurship, so holds two
    // certificates once they are issued.
    const std::size_t learner = planners[kNura - kFirstPilotPlace][0];
    plan_.accounts[kLearner].participant = learner;
    plan_.accounts[kLearner].display_name = plan_.participants[learner].person.full_name;

    // The results the programme reported are its targets.
    plan_.targets = {{courses::Measure::trained, "inclusive_planning", 60},
                     {courses::Measure::trained, "entrepreneurship", 50},
                     {courses::Measure::trained, "study_visit", 8}};
    return std::move(plan_);
  }

 private:
  void addCourses() {
    courses::Course planning;
    planning.track = "inclusive_planning";
    planning.title = {"Инклюзивті жоспарлау", "Инклюзивное планирование", "Inclusive planning"};
    planning.hours = 24;
    planning.rule = {80, false, false};
    courses::Course business;
    business.track = "entrepreneurship";
    business.title = {"Кәсіпкерлік негіздері", "Основы предпринимательства",
                      "Basics of entrepreneurship"};
    business.hours = 36;
    business.rule = {80, true, false};
    courses::Course visit;
    visit.track = "study_visit";
    visit.title = {"Болгариядағы жергілікті өзін-өзі басқару бойынша тағылымдама",
                   "Учебный визит по местному самоуправлению в Болгарию",
                   "Study visit on local self-government in Bulgaria"};
    visit.hours = 40;
    visit.rule = {100, false, true};
    // The visit was held in Russian: its certificates are in Russian alone; the other courses
    // print all three languages on one page.
    visit.certificate_language = courses::CertificateLanguage::ru;
    plan_.courses = {planning, business, visit};
  }

  void addAccounts() {
    // Trainers' names are invented like everyone else's; they print on the certificates.
    plan_.accounts = {
        {"trainer.glubokoe", "Белова Ольга", courses::Role::trainer, "demo-glubokoe-2017",
         std::nullopt},
        {"trainer.shemonaikha", "Тарасов Андрей", courses::Role::trainer, "demo-shemonaikha-2017",
         std::nullopt},
        {"trainer.nura", "Жақыпова Сәуле", courses::Role::trainer, "demo-nura-2017", std::nullopt},
        {std::string(kDemoLearnerLogin), "", courses::Role::learner, "demo-learner-2017",
         std::nullopt},
    };
  }

  static courses::Affiliation plannerAffiliation(int k) {
    switch (k) {
      case 0:
      case 5:
        return courses::Affiliation::local_government;
      case 1:
      case 2:
        return courses::Affiliation::civil_society;
      default:
        return courses::Affiliation::community_member;
    }
  }

  template <std::size_t N>
  std::size_t addCohort(std::size_t course, std::size_t place, std::vector<std::size_t> trainers,
                        long long first_day, int hour_utc, int minutes, const Topic (&topics)[N]) {
    DemoCohort c;
    c.course = course;
    c.locality = place;
    c.trainers = std::move(trainers);
    c.cohort.language = languageFor(place);
    const auto& name = plan_.localities[place].locality.name;
    c.cohort.place = c.cohort.language == Language::kk ? name.kk + ", әкімдік мәжіліс залы"
                                                       : name.ru + ", актовый зал акимата";
    // Courses meet in blocks of three consecutive days a week apart; a study visit (five
    // sessions) is one stretch of consecutive days.
    const std::size_t block = N == 5 ? N : 3;
    long long last_day = first_day;
    for (std::size_t k = 0; k < N; ++k) {
      const long long day = first_day + static_cast<long long>(k % block + (k / block) * 7);
      last_day = day;
      courses::Session s;
      s.starts_at = isoTimestamp(day, hour_utc);
      s.duration_minutes = minutes;
      s.topic = c.cohort.language == Language::kk ? topics[k].kk : topics[k].ru;
      c.sessions.push_back(std::move(s));
    }
    c.cohort.starts_on = isoDate(first_day);
    c.cohort.ends_on = isoDate(last_day);
    plan_.cohorts.push_back(std::move(c));
    return plan_.cohorts.size() - 1;
  }

  std::size_t addPerson(std::size_t place, courses::Affiliation affiliation, int born_from,
                        int born_to) {
    const bool russian = rng_.chance(inEastKazakhstan(place) ? 11 : 4, 20);
    DemoParticipant p;
    p.locality = place;
    auto& d = p.person.demographics;
    d.gender = rng_.chance(58, 100) ? Gender::female : Gender::male;
    std::string name;
    do {
      std::string surname = russian ? pick(rng_, kRussianSurnames) : pick(rng_, kKazakhSurnames);
      std::string first;
      if (d.gender == Gender::female) {
        surname += "а";
        first = russian ? pick(rng_, kRussianFemale) : pick(rng_, kKazakhFemale);
      } else {
        first = russian ? pick(rng_, kRussianMale) : pick(rng_, kKazakhMale);
      }
      name = surname + " " + first;
    } while (!used_names_.insert(name).second);
    p.person.full_name = name;
    d.birth_year =
        born_from + static_cast<int>(rng_.below(static_cast<std::size_t>(born_to - born_from + 1)));
    d.affiliation = affiliation;
    using V = courses::VulnerableGroup;
    auto add = [&](V group) { d.vulnerable |= static_cast<courses::VulnerableSet>(group); };
    if (d.birth_year >= 1989) add(V::youth);  // under 30 during the programme
    if (d.birth_year <= 1958) add(V::pensioner);
    if (rng_.chance(1, 12)) add(V::disability);
    if (d.gender == Gender::female && d.birth_year <= 1988 && rng_.chance(1, 5)) {
      add(V::mother_of_many_children);
    }
    if (rng_.chance(1, 14)) add(V::single_parent);
    if (affiliation == courses::Affiliation::community_member && rng_.chance(1, 4)) {
      add(V::unemployed);
    }
    p.person.consent = true;
    plan_.participants.push_back(std::move(p));
    return plan_.participants.size() - 1;
  }

  /// Enrols a person with attendance that clearly meets (or clearly misses) the course's rule,
  /// whichever way the rule rounds a share of sessions.
  void enrol(std::size_t person, std::size_t cohort, bool completes) {
    const DemoCohort& c = plan_.cohorts[cohort];
    const courses::CompletionRule& rule = plan_.courses[c.course].rule;
    const std::size_t n = c.sessions.size();
    const std::size_t share = static_cast<std::size_t>(rule.min_attendance_percent);
    const std::size_t at_least = rule.require_all ? n : (share * n + 99) / 100;  // rounded up
    const std::size_t below = rule.require_all ? n : (share * n) / 100;          // rounded down
    std::size_t counted;  // sessions that count as attended
    if (completes) {
      counted = at_least + rng_.below(n - at_least + 1);
    } else {
      counted = below - 1 - rng_.below(std::min<std::size_t>(2, below));
    }
    // Choose which sessions are missed.
    std::vector<bool> attended(n, true);
    for (std::size_t missed = 0; missed < n - counted;) {
      const std::size_t k = rng_.below(n);
      if (attended[k]) {
        attended[k] = false;
        ++missed;
      }
    }
    DemoEnrolment e;
    e.participant = person;
    e.cohort = cohort;
    for (std::size_t k = 0; k < n; ++k) {
      if (attended[k]) {
        if (rule.excused_counts && rng_.chance(1, 8)) {
          e.marks.push_back(AttendanceStatus::excused);
        } else {
          e.marks.push_back(rng_.chance(1, 6) ? AttendanceStatus::late : AttendanceStatus::present);
        }
      } else if (!rule.excused_counts && rng_.chance(1, 2)) {
        e.marks.push_back(AttendanceStatus::excused);  // does not count under this rule
      } else {
        e.marks.push_back(AttendanceStatus::absent);
      }
    }
    plan_.enrolments.push_back(std::move(e));
  }

  Rng rng_;
  DemoPlan plan_;
  std::set<std::string> used_names_;
};

}  // namespace

DemoPlan buildDemoPlan() {
  return PlanBuilder().build();
}

QualificationCounts countQualified(std::span<const EnrolmentAttendance> enrolments) {
  std::map<std::string, std::set<courses::Id>> qualified;
  std::set<courses::Id> enrolled;
  std::set<courses::Id> anywhere;
  for (const auto& e : enrolments) {
    enrolled.insert(e.participant);
    qualified[e.track];  // every track appears, even with nobody qualified
    const auto result = courses::evaluateCompletion(e.rule, e.sessions_total, e.statuses);
    if (result.completed) {
      qualified[e.track].insert(e.participant);
      anywhere.insert(e.participant);
    }
  }
  QualificationCounts counts;
  for (const auto& [track, people] : qualified) counts.by_track[track] = people.size();
  counts.enrolled = enrolled.size();
  counts.qualified_nowhere = enrolled.size() - anywhere.size();
  return counts;
}

std::vector<EnrolmentAttendance> planAttendance(const DemoPlan& plan) {
  std::vector<EnrolmentAttendance> out;
  out.reserve(plan.enrolments.size());
  for (const auto& e : plan.enrolments) {
    const DemoCohort& cohort = plan.cohorts[e.cohort];
    const courses::Course& course = plan.courses[cohort.course];
    out.push_back({static_cast<courses::Id>(e.participant), course.track, course.rule,
                   static_cast<int>(cohort.sessions.size()), e.marks});
  }
  return out;
}

bool demoLoaded(courses::Repositories repos, const DemoPlan& plan) {
  for (const auto& programme : repos.programmes.list()) {
    if (programme.code == plan.programme.code) return true;
  }
  return false;
}

void loadDemoPlan(const DemoPlan& plan, courses::Repositories repos, const courses::Clock& clock,
                  const courses::GlyphCoverage& coverage, const courses::Actor& admin) {
  if (demoLoaded(repos, plan)) {
    throw courses::Error(courses::ErrorCode::conflict,
                         "programme " + plan.programme.code + " already exists");
  }
  courses::CatalogueService catalogue(repos);
  courses::CohortService cohorts(repos);
  courses::ParticipantService people(repos, clock, coverage);
  courses::EnrolmentService enrolments(repos);
  courses::AttendanceService attendance(repos);

  const courses::Programme programme = catalogue.createProgramme(admin, plan.programme);

  std::vector<courses::Id> locality_ids;
  for (const auto& l : plan.localities) {
    courses::Locality locality = l.locality;
    if (l.parent) locality.parent_id = locality_ids.at(*l.parent);
    locality_ids.push_back(catalogue.createLocality(admin, locality).id);
  }

  std::vector<courses::Id> course_ids;
  for (auto course : plan.courses) {
    course.programme_id = programme.id;
    course_ids.push_back(catalogue.createCourse(admin, course).id);
  }

  std::vector<courses::Id> person_ids;
  for (const auto& p : plan.participants) {
    courses::ParticipantService::Registration registration;
    registration.person = p.person;
    registration.person.demographics.locality_id = locality_ids.at(p.locality);
    registration.not_duplicate = true;  // the plan's names are unique by construction
    person_ids.push_back(people.registerPerson(admin, std::move(registration)).participant.id);
  }

  const security::Argon2idHasher hasher;
  const security::SodiumAccessCodeSecrets secrets;
  courses::AccountService accounts(repos, clock, hasher, secrets);
  std::vector<courses::Id> account_ids;
  for (const auto& a : plan.accounts) {
    courses::NewAccount account{a.login, a.display_name, a.role, std::nullopt, a.password};
    if (a.participant) account.participant_id = person_ids.at(*a.participant);
    account_ids.push_back(accounts.create(admin, account, coverage).id);
  }

  std::vector<courses::Id> cohort_ids;
  std::vector<std::vector<courses::Id>> session_ids;
  for (const auto& c : plan.cohorts) {
    courses::Cohort cohort = c.cohort;
    cohort.course_id = course_ids.at(c.course);
    cohort.locality_id = locality_ids.at(c.locality);
    for (const std::size_t t : c.trainers) cohort.trainer_ids.push_back(account_ids.at(t));
    const courses::Cohort created = cohorts.create(admin, cohort);
    cohort_ids.push_back(created.id);
    auto& ids = session_ids.emplace_back();
    for (auto session : c.sessions) {
      session.cohort_id = created.id;
      ids.push_back(cohorts.addSession(admin, session).id);
    }
  }

  // One sheet per session, holding the marks of every enrolment of its cohort.
  std::vector<std::vector<std::vector<courses::AttendanceMark>>> sheets(plan.cohorts.size());
  for (std::size_t i = 0; i < plan.cohorts.size(); ++i) {
    sheets[i].resize(plan.cohorts[i].sessions.size());
  }
  for (const auto& e : plan.enrolments) {
    const auto created = enrolments.enrol(admin, cohort_ids.at(e.cohort),
                                          person_ids.at(e.participant), std::nullopt);
    for (std::size_t k = 0; k < e.marks.size(); ++k) {
      courses::AttendanceMark mark;
      mark.enrolment_id = created.enrolment.id;
      mark.status = e.marks[k];
      sheets[e.cohort][k].push_back(mark);
    }
  }
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    for (std::size_t k = 0; k < sheets[i].size(); ++k) {
      attendance.saveSheet(admin, session_ids[i][k], sheets[i][k]);
    }
  }
  courses::TotalsService(repos).setTargets(admin, programme.id, plan.targets);
}

}  // namespace plugin::cli
