# Writes OUTPUT, a C++ source holding the text of every migration in MIGRATIONS (a ;-list of
# .sql paths, in order), so the installed binaries need no source tree.
# Usage: cmake -DOUTPUT=… -DMIGRATIONS=a.sql;b.sql -P embed_migrations.cmake
set(arrays "")
set(entries "")
set(index 0)
foreach(path IN LISTS MIGRATIONS)
  get_filename_component(name "${path}" NAME_WE)
  file(READ "${path}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND arrays "constexpr char kMigration${index}[] = {${bytes}0x00};\n")
  string(APPEND entries
         "      {\"${name}\", std::string_view(kMigration${index}, sizeof(kMigration${index}) - 1)},\n")
  math(EXPR index "${index} + 1")
endforeach()

set(content "// Generated from courses/mariadb/migrations by embed_migrations.cmake; do not edit.
#include \"migrations.hpp\"

namespace courses::mariadb {
namespace {
${arrays}}  // namespace

std::span<const EmbeddedMigration> embeddedMigrations() noexcept {
  static constexpr EmbeddedMigration kAll[] = {
${entries}  };
  return kAll;
}

}  // namespace courses::mariadb
")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
