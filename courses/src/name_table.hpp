#pragma once
// Private: enum <-> wire name tables. The wire/storage name of each enumerator is exactly its C++
// name, listed once per enum, so the two directions cannot drift apart.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace courses::detail {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Enum, std::size_t N>
constexpr std::string_view nameOf(const NameTable<Enum, N>& table, Enum value) noexcept {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  // Only reachable for a value cast from an out-of-range integer.
  return {};
}

template <typename Enum, std::size_t N>
constexpr std::optional<Enum> valueOf(const NameTable<Enum, N>& table,
                                      std::string_view name) noexcept {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace courses::detail
