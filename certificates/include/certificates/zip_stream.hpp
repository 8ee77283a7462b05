#pragma once
// A ZIP archive written as a stream (libarchive): each entry goes to the sink as it is added, so
// a cohort's certificates never sit in memory all at once.

#include <functional>
#include <memory>
#include <string_view>

namespace certificates {

class ZipStream {
 public:
  /// `sink` receives the archive's bytes in order; it may throw to abort.
  explicit ZipStream(std::function<void(std::string_view)> sink);
  ~ZipStream();
  ZipStream(const ZipStream&) = delete;
  ZipStream& operator=(const ZipStream&) = delete;

  /// Adds one file (stored uncompressed: PDFs are compressed already). Names are ASCII.
  void add(std::string_view name, std::string_view bytes);
  /// Writes the central directory. Required; the destructor of an unfinished stream only
  /// releases resources.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace certificates
