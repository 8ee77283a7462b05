#include "certificates/zip_stream.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "certificates/error.hpp"

namespace certificates {
namespace {

// A reader written from the ZIP specification (APPNOTE.TXT), independent of libarchive, so the
// test does not check libarchive against itself: end of central directory, central directory,
// local headers, stored data, CRC-32.
std::uint32_t readLe(const std::string& bytes, std::size_t offset, int size) {
  if (offset + static_cast<std::size_t>(size) > bytes.size()) throw std::out_of_range("short ZIP");
  std::uint32_t value = 0;
  for (int i = size - 1; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[offset + static_cast<std::size_t>(i)]);
  }
  return value;
}

std::uint32_t crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char c : data) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

struct Entry {
  std::string name;
  std::string data;
};

std::vector<Entry> readStoredZip(const std::string& zip) {
  constexpr std::size_t kEndSize = 22;
  if (zip.size() < kEndSize) throw std::runtime_error("too short for a ZIP");
  const std::size_t end = zip.size() - kEndSize;  // no archive comment, no trailing padding
  if (readLe(zip, end, 4) != 0x06054b50u) throw std::runtime_error("no end of central directory");
  const std::uint32_t count = readLe(zip, end + 10, 2);
  const std::uint32_t directory_size = readLe(zip, end + 12, 4);
  std::size_t offset = readLe(zip, end + 16, 4);
  if (offset + directory_size != end) throw std::runtime_error("central directory misplaced");
  std::vector<Entry> entries;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (readLe(zip, offset, 4) != 0x02014b50u) throw std::runtime_error("bad directory entry");
    const std::uint32_t method = readLe(zip, offset + 10, 2);
    const std::uint32_t crc = readLe(zip, offset + 16, 4);
    const std::uint32_t stored_size = readLe(zip, offset + 20, 4);
    const std::uint32_t size = readLe(zip, offset + 24, 4);
    const std::uint32_t name_length = readLe(zip, offset + 28, 2);
    const std::uint32_t extra_length = readLe(zip, offset + 30, 2);
    const std::uint32_t comment_length = readLe(zip, offset + 32, 2);
    const std::size_t local = readLe(zip, offset + 42, 4);
    Entry entry;
    entry.name = zip.substr(offset + 46, name_length);
    if (method != 0) throw std::runtime_error(entry.name + " is not stored");
    if (stored_size != size) throw std::runtime_error(entry.name + ": sizes differ");
    if (readLe(zip, local, 4) != 0x04034b50u) throw std::runtime_error("bad local header");
    if (zip.substr(local + 30, readLe(zip, local + 26, 2)) != entry.name) {
      throw std::runtime_error(entry.name + ": local name differs");
    }
    const std::size_t data = local + 30 + readLe(zip, local + 26, 2) + readLe(zip, local + 28, 2);
    if (data + size > zip.size()) throw std::runtime_error(entry.name + ": data past the end");
    entry.data = zip.substr(data, size);
    if (crc32(entry.data) != crc) throw std::runtime_error(entry.name + ": CRC mismatch");
    entries.push_back(std::move(entry));
    offset += 46 + name_length + extra_length + comment_length;
  }
  return entries;
}

std::string pseudoPdf(int seed, std::size_t size) {
  std::string bytes = "%PDF-1.7\n";
  std::uint32_t state = static_cast<std::uint32_t>(seed) * 2654435761u + 1;
  while (bytes.size() < size) {
    state = state * 1664525u + 1013904223u;
    bytes.push_back(static_cast<char>(state >> 24));
  }
  return bytes;
}

TEST(ZipStream, HoldsTheAddedFilesStoredInOrder) {
  std::string zip;
  ZipStream stream([&](std::string_view chunk) { zip.append(chunk); });
  const std::vector<Entry> files = {
      {"LSG-EKZ-IP-2019-000001_Aliya_Qasymova.pdf", pseudoPdf(1, 30000)},
      {"LSG-EKZ-IP-2019-000002_Erlan_Sadykov.pdf", pseudoPdf(2, 25000)},
      {"empty.pdf", ""},
  };
  for (const auto& file : files) stream.add(file.name, file.data);
  stream.finish();

  const auto entries = readStoredZip(zip);
  ASSERT_EQ(entries.size(), files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(entries[i].name, files[i].name);
    EXPECT_TRUE(entries[i].data == files[i].data) << files[i].name;
  }
}

TEST(ZipStream, UnzipAcceptsTheArchive) {
  // deploy/install-deps installs unzip: a missing one is a broken set-up, not a reason to skip.
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/unzip")) << "unzip is not installed";
  std::string zip;
  {
    ZipStream stream([&](std::string_view chunk) { zip.append(chunk); });
    stream.add("a.pdf", pseudoPdf(3, 1000));
    stream.add("b.pdf", pseudoPdf(4, 70000));
    stream.finish();
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("qatysu-zip-test-" + std::to_string(::getpid()) + ".zip");
  std::ofstream(path, std::ios::binary) << zip;
  const int status = std::system(("/usr/bin/unzip -tq '" + path.string() + "' >/dev/null").c_str());
  std::filesystem::remove(path);
  EXPECT_EQ(status, 0);
}

TEST(ZipStream, FeedsTheSinkAsEntriesAreAddedNotAtTheEnd) {
  std::vector<std::size_t> chunks;
  std::string zip;
  ZipStream stream([&](std::string_view chunk) {
    chunks.push_back(chunk.size());
    zip.append(chunk);
  });
  for (int i = 0; i < 5; ++i) stream.add("c" + std::to_string(i) + ".pdf", pseudoPdf(i, 100000));
  const std::size_t before_finish = chunks.size();
  const std::size_t bytes_before_finish = zip.size();
  stream.finish();
  EXPECT_GE(before_finish, 5u);             // several calls while adding
  EXPECT_GE(bytes_before_finish, 400000u);  // most of the data already went out
  EXPECT_GT(chunks.size(), before_finish);  // the central directory comes at the end
  for (const auto size : chunks) EXPECT_LE(size, 64u * 1024u);
  EXPECT_EQ(readStoredZip(zip).size(), 5u);
}

TEST(ZipStream, AnEmptyArchiveIsValid) {
  std::string zip;
  ZipStream stream([&](std::string_view chunk) { zip.append(chunk); });
  stream.finish();
  EXPECT_EQ(zip.size(), 22u);
  EXPECT_TRUE(readStoredZip(zip).empty());
}

TEST(ZipStream, ASinkThatThrowsAbortsWithItsOwnException) {
  bool broken = false;
  auto stream = std::make_unique<ZipStream>([&](std::string_view) {
    if (broken) throw std::runtime_error("client went away");
  });
  stream->add("a.pdf", pseudoPdf(1, 1000));
  broken = true;
  EXPECT_THROW(
      {
        stream->add("b.pdf", pseudoPdf(2, 200000));
        stream->finish();
      },
      std::runtime_error);
  EXPECT_THROW(stream->add("c.pdf", "x"), Error);
  // Destroying an aborted stream writes nothing more.
  stream.reset();
}

TEST(ZipStream, AnUnfinishedStreamWritesNoCentralDirectory) {
  std::string zip;
  {
    ZipStream stream([&](std::string_view chunk) { zip.append(chunk); });
    stream.add("a.pdf", pseudoPdf(1, 100));
  }
  EXPECT_EQ(zip.find("PK\x05\x06"), std::string::npos);
}

TEST(ZipStream, RefusesUnsafeNames) {
  ZipStream stream([](std::string_view) {});
  for (const std::string name : {"", "../x.pdf", "/etc/x.pdf", "a\nb.pdf", "Әлия.pdf"}) {
    try {
      stream.add(name, "x");
      FAIL() << "accepted " << name;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), Error::Kind::invalid_input);
    }
  }
  stream.add("ok.pdf", "x");
  stream.finish();
}

}  // namespace
}  // namespace certificates
