#include "certificates/zip_stream.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <ctime>
#include <exception>
#include <string>

#include "certificates/error.hpp"

namespace certificates {

namespace {

// Bytes libarchive collects before it calls the sink: large enough that an HTTP chunk is not a
// few bytes of header, small enough that a cohort's archive never waits in memory.
constexpr int kBlockBytes = 64 * 1024;

struct ArchiveDeleter {
  void operator()(struct archive* archive) const noexcept { archive_write_free(archive); }
};
struct EntryDeleter {
  void operator()(struct archive_entry* entry) const noexcept { archive_entry_free(entry); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveDeleter>;
using EntryPtr = std::unique_ptr<struct archive_entry, EntryDeleter>;

bool isPrintableAscii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace

struct ZipStream::Impl {
  std::function<void(std::string_view)> sink;
  ArchivePtr archive;
  std::exception_ptr sink_error;  ///< what the sink threw, rethrown to the caller
  bool finished = false;
  bool failed = false;

  /// Set once the sink threw or the stream is dropped unfinished: later bytes go nowhere.
  bool discarding = false;

  static la_ssize_t onWrite(struct archive*, void* client, const void* buffer,
                            size_t length) noexcept {
    auto* self = static_cast<Impl*>(client);
    if (self->discarding) return static_cast<la_ssize_t>(length);
    try {
      self->sink(std::string_view(static_cast<const char*>(buffer), length));
    } catch (...) {
      // Exceptions must not cross libarchive's C frames: keep it for the caller. Reporting the
      // write as done keeps libarchive out of its fatal state, in which libarchive 3.6 never
      // frees its output buffer; the bytes that follow are dropped.
      self->sink_error = std::current_exception();
      self->discarding = true;
    }
    return static_cast<la_ssize_t>(length);
  }

  /// Rethrows what the sink threw during the last libarchive call.
  void rethrowSinkError() {
    if (!sink_error) return;
    failed = true;
    std::rethrow_exception(sink_error);
  }

  // Turns a libarchive failure into the sink's own exception when the sink caused it, else into
  // Error(internal) with libarchive's message.
  [[noreturn]] void fail(std::string_view what) {
    failed = true;
    if (sink_error) std::rethrow_exception(sink_error);
    const char* detail = archive_error_string(archive.get());
    throw Error(Error::Kind::internal, "",
                "ZIP archive: " + std::string(what) +
                    (detail != nullptr ? std::string(": ") + detail : std::string()));
  }

  void check(int result, std::string_view what) {
    if (result != ARCHIVE_OK) fail(what);
    rethrowSinkError();
  }
};

ZipStream::ZipStream(std::function<void(std::string_view)> sink) : impl_(std::make_unique<Impl>()) {
  impl_->sink = std::move(sink);
  impl_->archive.reset(archive_write_new());
  if (!impl_->archive) throw Error(Error::Kind::internal, "", "ZIP archive: out of memory");
  struct archive* a = impl_->archive.get();
  impl_->check(archive_write_set_format_zip(a), "cannot select the ZIP format");
  // PDFs are compressed already; deflating them again costs time and saves nothing.
  impl_->check(archive_write_set_options(a, "zip:compression=store"), "cannot select storing");
  impl_->check(archive_write_set_bytes_per_block(a, kBlockBytes), "cannot set the block size");
  // Without this the last block is padded with zeros, which is not part of a ZIP file.
  impl_->check(archive_write_set_bytes_in_last_block(a, 1), "cannot set the last block size");
  impl_->check(archive_write_open(a, impl_.get(), nullptr, &Impl::onWrite, nullptr),
               "cannot open the stream");
}

ZipStream::~ZipStream() {
  // An unfinished archive must not reach the sink from here (it may be gone): closing into the
  // void lets libarchive release everything it holds, which archive_write_fail would not.
  if (impl_ && impl_->archive && !impl_->finished) {
    impl_->discarding = true;
    archive_write_close(impl_->archive.get());
  }
}

void ZipStream::add(std::string_view name, std::string_view bytes) {
  if (impl_->finished) throw Error(Error::Kind::internal, "", "ZIP archive: already finished");
  if (impl_->failed) throw Error(Error::Kind::internal, "", "ZIP archive: an earlier write failed");
  if (name.empty() || !isPrintableAscii(name) || name.front() == '/' ||
      name.find("..") != std::string_view::npos) {
    throw Error(Error::Kind::invalid_input, "name",
                "a ZIP entry name must be printable ASCII without '..' or a leading '/'");
  }
  struct archive* a = impl_->archive.get();
  EntryPtr entry(archive_entry_new2(a));
  if (!entry) throw Error(Error::Kind::internal, "", "ZIP archive: out of memory");
  const std::string path(name);
  archive_entry_set_pathname(entry.get(), path.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(bytes.size()));
  archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
  impl_->check(archive_write_header(a, entry.get()), "cannot write the header of " + path);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const la_ssize_t n = archive_write_data(a, bytes.data() + written, bytes.size() - written);
    if (n <= 0) impl_->fail("cannot write " + path);
    impl_->rethrowSinkError();
    written += static_cast<std::size_t>(n);
  }
  impl_->check(archive_write_finish_entry(a), "cannot finish " + path);
}

void ZipStream::finish() {
  if (impl_->finished) return;
  if (impl_->failed) throw Error(Error::Kind::internal, "", "ZIP archive: an earlier write failed");
  impl_->check(archive_write_close(impl_->archive.get()), "cannot write the central directory");
  impl_->finished = true;
}

}  // namespace certificates
