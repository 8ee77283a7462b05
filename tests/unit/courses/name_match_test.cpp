#include "courses/name_match.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace courses {
namespace {

struct NamePair {
  std::string_view a;
  std::string_view b;
  std::string_view why;
};

// One person, typed two ways: keyboard neighbours of the Kazakh letters, ё/е, word order, with or
// without the patronymic, Latin spellings (official 2021 alphabet, passports), hyphens,
// apostrophes, doubled letters. Every pair here has the same key and passes sameName().
constexpr NamePair kSamePerson[] = {
    {"Ахметов Талғат", "Ахметов Талгат", "г typed for ғ"},
    {"Ахметов Талғат", "Талғат Ахметов", "given name first"},
    {"Ахметов Талғат", "Talgat Akhmetov", "passport Latin, Kh"},
    {"Ахметов Талғат", "Ahmetov Talğat", "2021 Latin ğ, H for х"},
    {"Ахметов Талғат Серікұлы", "Ахметов Талғат", "patronymic left out"},
    {"Ахметов Талғат Серікұлы", "Талгат Серикулы Ахметов", "patronymic in the middle"},
    {"Ахметов Талғат Серік ұлы", "Ахметов Талғат Серікұлы", "ұлы written apart"},
    {"Ахметова Айгүл Серікқызы", "Ахметова Айгүл Серік қызы", "қызы written apart after к"},
    {"Ахметова Айгүл Серікқызы", "Akhmetova Aigul Serikovna", "-қызы and -овна of one father"},
    {"Жұмабекова Айгерім", "Zhumabekova Aigerim", "Zh"},
    {"Жұмабекова Айгерім", "Jumabekova Aygerim", "J, y for й"},
    {"Жұмабекова Айгерім", "Джумабекова Айгерим", "Дж, и for і"},
    {"Нұрлан Сәрсенбаев", "Nurlan Sarsenbayev", "ye after a vowel"},
    {"Сәрсенбаев Нұрлан", "Sarsenbaev Nurlan", "ә as a"},
    {"Әлия Ғабитқызы Қоңырова", "Алия Габиткызы Конырова", "every letter a neighbour"},
    {"Әлия Қоңырова", "Aliya Qoñyrova", "2021 Latin q, ñ"},
    {"Өмірбек Үміт", "Омирбек Умит", "ө, ү, і"},
    {"Өмірбек Үміт", "Ömirbek Ümit", "2021 Latin ö, ü"},
    {"Һасенов Бауыржан", "Хасенов Бауыржан", "һ as х"},
    {"Хасенов Бауржан", "Khassenov Baurzhan", "Kh, doubled s"},
    {"Бауыржан Момышұлы", "Baurzhan Momyshuly", "ы left out after у"},
    {"Бауыржан Момышұлы", "Bauyrjan Momyşuly", "2021 Latin ş"},
    {"Қанат Сейітқали", "Канат Сейиткали", "қ, і"},
    {"Бекзат Нұржанұлы Оспанов", "Оспанов Бекзат", "no patronymic, surname first"},
    {"Оспанов Бекзат", "Ospanov Bekzat", "plain Latin"},
    {"Ерлан Серікұлы Дәулетов", "Yerlan Dauletov", "Ye for Е"},
    {"Ерлан Дәулетов", "Erlan Dauletov", "E for Е"},
    {"Иванова Мария Петровна", "Мария Иванова", "-овна left out"},
    {"Иванова Мария Петровна", "Ivanova Mariya", "iya"},
    {"Иванова Мария", "Maria Ivanova", "ia"},
    {"Сергеев Алексей Викторович", "Sergeyev Aleksey", "-ович left out, yev"},
    {"Ёлкина Алёна", "Елкина Алена", "ё as е"},
    {"Анна-Мария Ким", "Ким Анна Мария", "hyphen as a space"},
    {"Анна–Мария Ким", "Анна-Мария Ким", "en dash"},
    {"О'Брайен Шон", "OBrayen Shon", "apostrophe"},
    {"Жаннат Тұрсынова", "Жанат Турсынова", "doubled н"},
    {"Кассымов Ерболат", "Касымов Ерболат", "doubled с"},
    {"Мұхтар Әуезов", "Mukhtar Auezov", "Kh, ә"},
    {"Мұхтар Әуезов", "Muhtar Äuezov", "2021 Latin ä"},
    {"Шолпан Қасымова", "Sholpan Kassymova", "Sh, ss, y for ы"},
    {"Чингиз Айтматов", "Chingiz Aitmatov", "Ch"},
    {"Юлия Ли", "Yulia Li", "Yu"},
    {"Ильяс Есенберлин", "Ilyas Yesenberlin", "ь, Ye"},
    {"Әсем Ғалымқызы", "Асем Галымкызы", "two words: қызы is the surname"},
    {"Ғалымжан Тоқтаров", "Galymzhan Toktarov", "ғ as g"},
    {"Дәулет Нұрғалиев", "Daulet Nurgaliyev", "iyev"},
    {"Гүлнар Сейітова", "Gulnar Seitova", "ү as u"},
    {"Айгүл Бекмұхамбетова", "Aigul Bekmukhambetova", "ai, kh"},
    {"Тимур Цой", "Tsoy Timur", "Ts, oy"},
    {"Щукин Андрей", "Shchukin Andrey", "Shch"},
    {"Хабиба Жақсылықова", "Habiba Zhaksylykova", "H, Zh, y"},
    {"Зарина Қайратқызы Мұратова", "Muratova Zarina Kairatkyzy", "kyzy"},
    {"Ақерке Мәлікова", "Akerke Malikova", "қ, ә, і"},
    {"Нұрсұлтан Әбішев", "Nursultan Abishev", "ұ, ш"},
    {"Саят Бейсенов", "САЯТ БЕЙСЕНОВ", "case"},
    {"Абрамович Роман Аркадьевич", "Роман Абрамович", "a surname shaped like -ович stays"},
    {"Дильназ Ахмедьярова", "Dilnaz Akhmediarova", "ья"},
    {"Ербол Сәрсенұлы Жақыпов", "Жакыпов Ербол Сарсенович", "-ұлы and -ович of one father"},
    // A given name and the father's name only, Kazakh or Russian form.
    {"Айгерім Нұрланқызы", "Айгерим Нурлановна", "-қызы and -овна, no surname"},
    {"Айгерім Нұрланқызы", "Нұрланқызы Айгерім", "-қызы first"},
    {"Нурлановна Айгерим", "Aigerim Nurlanqyzy", "-овна first, 2021 Latin"},
    {"Айгерим Нурлановна", "Aigerim Nurlanovna", "Latin -ovna"},
    {"Ержан Серікұлы", "Ержан Серикович", "-ұлы and -ович, no surname"},
    {"Ержан Серікұлы", "Yerzhan Serikovich", "Latin -ovich"},
    {"Ержан Серік ұлы", "Серикович Ержан", "ұлы written apart"},
    {"Дана Ильинична", "Dana Ilinichna", "-ична"},
    // ё typed as е or spelled yo, io, e; й and и as y or i.
    {"Пётр Соколов", "Петр Соколов", "ё as е"},
    {"Пётр Соколов", "Pyotr Sokolov", "yo for ё"},
    {"Пётр Соколов", "Piotr Sokolov", "io for ё"},
    {"Петр Соколов", "Pyotr Sokolov", "е typed for ё, yo"},
    {"Pyotr Sokolov", "Petr Sokolov", "yo and e"},
    {"Фёдор Семёнов", "Fyodor Semyonov", "two ё"},
    {"Фёдор Семёнов", "Fedor Semenov", "ё as e"},
    {"Артём Королёв", "Artyom Korolyov", "ё at a word's end"},
    {"Алёна Воробьёва", "Alyona Vorobyova", "ьё"},
    {"Алёна Воробьёва", "Alena Vorobeva", "ьё as е"},
    {"Ёлкина Алёна", "Yolkina Alyona", "Yo at the start"},
    {"Царёв Илья", "Tsaryov Ilya", "Ts, yo"},
    {"Майорова Зоя", "Mayorova Zoya", "й and о after a vowel stay"},
    {"Андрей Зайцев", "Andrei Zaitsev", "i for й, ts"},
    {"Андрей Зайцев", "Andrey Zaytsev", "y for й"},
    {"Юрий Ильин", "Yuriy Ilyin", "iy, ь"},
    {"Юрий Ильин", "Iurii Ilin", "iu, ii"},
    {"Щербакова Анна", "Shcherbakova Anna", "Shch"},
    {"Рысбек Сыздықов", "Rysbek Syzdykov", "y for ы"},
    {"Рысбек Сыздықов", "Risbek Sizdikov", "i for ы"},
    {"Хадиша Жексенова", "Khadisha Jeksenova", "Kh, J"},
    // The 2021 Kazakh Latin alphabet: ä ğ q ñ ö ū ü ı ş ç.
    {"Шыңғыс Мұқанов", "Şyñğys Mūqanov", "ş ñ ğ ū q"},
    {"Шыңғыс Мұқанов", "ŞYÑĞYS MŪQANOV", "capitals"},
    {"Айгүл Шәріпова", "Aigül Şärıpova", "ü ä ı"},
    {"Ұлжан Өтегенова", "Ūljan Ötegenova", "ū ö j"},
    {"Шоқан Уәлиханов", "Şoqan Uälihanov", "h for х"},
    {"Чапаев Тимур", "Çapaev Timur", "ç"},
    {"Ілияс Жансүгіров", "Ilias Jansügırov", "ı for і, ia"},
};

// Different people with similar names: siblings, a man and a woman, different fathers, names a
// letter apart. None of these pairs passes sameName().
constexpr NamePair kDifferentPeople[] = {
    {"Ахметов Талғат", "Ахметов Асқар", "brothers"},
    {"Ахметов Талғат", "Ахметова Айгүл", "brother and sister"},
    {"Ахметов Талғат Серікұлы", "Ахметов Талғат Болатұлы", "different fathers"},
    {"Асан Бекұлы Жұмабаев", "Хасан Бекұлы Жұмабаев", "Асан is not Хасан"},
    {"Асан Жұмабаев", "Хасан Жұмабаев", "Асан is not Хасан"},
    {"Айгүл Серікова", "Айгерім Серікова", "Айгүл is not Айгерім"},
    {"Жұмабеков Саша", "Жұмабекова Саша", "a man and a woman"},
    {"Иванов Женя", "Иванова Женя", "a man and a woman"},
    {"Иванова Мария Петровна", "Иванова Мария Ивановна", "different fathers"},
    {"Нұрлан Сәрсенбаев", "Нұржан Сәрсенбаев", "brothers"},
    {"Марат Омаров", "Марал Омарова", "brother and sister"},
    {"Ерлан Дәулетов", "Ержан Дәулетов", "brothers"},
    {"Асель Нурова", "Асем Нурова", "sisters"},
    {"Данияр Қасымов", "Даниял Қасымов", "a letter apart"},
    {"Айдос Бекетов", "Айдар Бекетов", "brothers"},
    {"Бекзат Оспанов", "Бекжан Оспанов", "brothers"},
    {"Болат Ахметов", "Ерболат Ахметов", "one name inside another"},
    {"Ахмет Серіков", "Ахметов Серік", "surname and given name swapped"},
    {"Тимур Қасенов", "Темір Қасенов", "Тимур is not Темір"},
    {"Серік Бекұлы", "Сергей Беков", "different names"},
    {"Гүлмира Сейітова", "Гүлнара Сейітова", "sisters"},
    {"Алия Нұрланқызы Бекова", "Алия Асқарқызы Бекова", "different fathers"},
    {"Жанар Ахметова", "Жанат Ахметова", "a letter apart"},
    {"Самат Исаев", "Самал Исаева", "brother and sister"},
    {"Арман Кожахметов", "Арсен Кожахметов", "brothers"},
    {"Қайрат Сұлтанов", "Қайыргелді Сұлтанов", "different names"},
    {"Нұрсұлтан Әбішев", "Нұрсұлу Әбішева", "brother and sister"},
    {"Ержан Тоқтаров", "Ержан Тоқтасынов", "different surnames"},
    {"Ислам Садыков", "Ислам Сатыбалдиев", "different surnames"},
    {"Әсел Маратқызы", "Әсем Маратқызы", "sisters"},
    {"Ким Анна", "Ким Инна", "sisters"},
    {"Ли Юлия", "Ли Юрий", "sister and brother"},
    {"Цой Виктор", "Цой Виталий", "brothers"},
    {"Иван Петров", "Пётр Иванов", "a name and a surname swapped"},
    {"Абай Құнанбаев", "Абай Құнанбай", "different surnames"},
    {"Мұхтар Әуезов", "Мұхит Әуезов", "brothers"},
    {"Дина Нұрпейісова", "Диана Нұрпейісова", "sisters"},
    {"Камила Сапарова", "Карина Сапарова", "sisters"},
    {"Бағдат Жақыпов", "Бағлан Жақыпов", "brothers"},
    {"Азамат Оразов", "Азат Оразов", "brothers"},
    {"Ерасыл Бекенов", "Ернұр Бекенов", "brothers"},
    {"Шолпан Қасымова", "Шынар Қасымова", "sisters"},
    {"Асхат Рахимов", "Ашат Рахимов", "сх is not ш"},
    {"Дәурен Садықов", "Дархан Садықов", "brothers"},
    {"Алмас Тұрғанбаев", "Алмат Тұрғанбаев", "a letter apart"},
    {"Айбек Нұрланұлы Сейітов", "Айбек Нұрболұлы Сейітов", "cousins: different fathers"},
    {"Жансая Құрманова", "Жансая Құрманғалиева", "different surnames"},
    {"Мария Иванова", "Марина Иванова", "sisters"},
    {"Наталья Ким", "Наталья Кан", "different surnames"},
    {"Сәуле Әбенова", "Сая Әбенова", "sisters"},
    {"Roman Abramovich", "Roman Abramov", "different surnames"},
    {"Олжас Сүлейменов", "Олжас Сүлеев", "different surnames"},
    {"Ахметов Талғат", "Ахметов Талғат Серік", "a third name is no patronymic"},
    // A given name and the father's name only: the same given name, another father.
    {"Айгерім Нұрланқызы", "Айгерім Асқарқызы", "different fathers"},
    {"Айгерім Нұрланқызы", "Айгерим Нуржановна", "different fathers, Russian form"},
    {"Айгерим Нурлановна", "Айгерим Нурлыбековна", "different fathers"},
    {"Ержан Серікұлы", "Ержан Болатович", "different fathers"},
    {"Ержан Серикович", "Ержан Сергеевич", "Серік is not Сергей"},
    {"Ержан Серікұлы", "Ержан Серікбайұлы", "Серік is not Серікбай"},
    {"Ержан Серікұлы", "Ерлан Серікұлы", "brothers"},
    {"Дана Серікқызы", "Дана Серікұлы", "a daughter's and a son's form"},
    {"Айгерім Нұрланқызы", "Айгерім Нұрланова", "a patronymic is not a surname ending in -ова"},
    // ё and its Latin spellings.
    {"Артём Семёнов", "Артём Симонов", "Семёнов is not Симонов"},
    {"Алёна Ким", "Алина Ким", "Алёна is not Алина"},
    {"Фёдор Ли", "Федот Ли", "Фёдор is not Федот"},
    {"Pyotr Sokolov", "Pavel Sokolov", "brothers"},
    {"Марио Росси", "Маре Росси", "io at a word's end is not ё"},
};

TEST(NameMatchTest, TheSamePersonTypedAnotherWayMatches) {
  static_assert(std::size(kSamePerson) >= 50);
  for (const NamePair& pair : kSamePerson) {
    SCOPED_TRACE(std::string(pair.a) + " / " + std::string(pair.b) + " (" + std::string(pair.why) +
                 ")");
    EXPECT_TRUE(sameName(pair.a, pair.b));
    EXPECT_TRUE(sameName(pair.b, pair.a));
    EXPECT_EQ(personNameKey(pair.a), personNameKey(pair.b));
  }
}

TEST(NameMatchTest, DifferentPeopleWithSimilarNamesDoNotMatch) {
  static_assert(std::size(kDifferentPeople) >= 50);
  for (const NamePair& pair : kDifferentPeople) {
    SCOPED_TRACE(std::string(pair.a) + " / " + std::string(pair.b) + " (" + std::string(pair.why) +
                 ")");
    EXPECT_FALSE(sameName(pair.a, pair.b));
    EXPECT_FALSE(sameName(pair.b, pair.a));
  }
}

TEST(NameMatchTest, SkeletonsShareOneSpellingAcrossScripts) {
  EXPECT_EQ(wordSkeleton("Жұмабекова"), wordSkeleton("Zhumabekova"));
  EXPECT_EQ(wordSkeleton("Жұмабекова"), wordSkeleton("Jumabekova"));
  EXPECT_EQ(wordSkeleton("Айгерім"), wordSkeleton("Aygerim"));
  EXPECT_EQ(wordSkeleton("Нұрлан"), "nurlan");
  EXPECT_EQ(wordSkeleton("Ёлкина"), wordSkeleton("елкина"));
  EXPECT_NE(wordSkeleton("Асхат"), wordSkeleton("Ашат"));
  EXPECT_EQ(wordSkeleton("'"), "");
}

TEST(NameMatchTest, APatronymicCountsOnlyBesideTwoOtherWords) {
  const NameWords three = nameWords("Ахметов Талғат Серікұлы");
  EXPECT_EQ(three.core, (std::vector<std::string>{wordSkeleton("Ахметов"), wordSkeleton("Талғат")}));
  EXPECT_EQ(three.patronymic, "seri");  // the father's name, without a final k
  const NameWords two = nameWords("Серікұлы Талғат");
  EXPECT_EQ(two.core.size(), 2u);
  EXPECT_TRUE(two.patronymic.empty());
  EXPECT_EQ(nameWords("Талғат Серік ұлы Ахметов"), three);
  EXPECT_EQ(personNameKey("Ахметов Талғат Серікұлы"), personNameKey("Талғат Ахметов"));
}

TEST(NameMatchTest, SearchFindsWordBeginningsHoweverTyped) {
  const std::string text = nameSearchText("Ахметов Талғат Серікұлы");
  EXPECT_TRUE(matchesSearch(text, searchWords("Талгат")));
  EXPECT_TRUE(matchesSearch(text, searchWords("talgat akhm")));
  EXPECT_TRUE(matchesSearch(text, searchWords("Серикулы")));
  EXPECT_TRUE(matchesSearch(text, searchWords("")));
  EXPECT_FALSE(matchesSearch(text, searchWords("алгат")));
  EXPECT_FALSE(matchesSearch(text, searchWords("Талғат Асқар")));
}

}  // namespace
}  // namespace courses
