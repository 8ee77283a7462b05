#pragma once
// Running the command-line tools tests check files with (pdftotext, pdffonts, qpdf, unzip,
// zbarimg …) and reading what `pdftotext -bbox` says. Header-only, for tests.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

namespace support {

/// What a command printed on standard output, and its exit status (-1 when it did not exit).
struct Output {
  int status = -1;
  std::string text;
};

/// Runs a shell command and collects its standard output.
inline Output run(const std::string& command) {
  Output out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    out.text.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

/// One word of a PDF page and its box, in points from the top left.
struct Box {
  double x_min, y_min, x_max, y_max;
  std::string word;
};

/// The words of `pdftotext -bbox` output; sets `width` and `height` to the (first) page's size.
inline std::vector<Box> words(const std::string& bbox_html, double& width, double& height) {
  std::vector<Box> boxes;
  const std::regex page(R"re(<page width="([0-9.]+)" height="([0-9.]+)")re");
  std::smatch m;
  if (std::regex_search(bbox_html, m, page)) {
    width = std::stod(m[1]);
    height = std::stod(m[2]);
  }
  const std::regex word(
      R"re(<word xMin="([0-9.-]+)" yMin="([0-9.-]+)" xMax="([0-9.-]+)" yMax="([0-9.-]+)">([^<]*)</word>)re");
  for (auto it = std::sregex_iterator(bbox_html.begin(), bbox_html.end(), word);
       it != std::sregex_iterator(); ++it) {
    boxes.push_back(Box{std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]),
                        std::stod((*it)[4]), (*it)[5]});
  }
  return boxes;
}

}  // namespace support
