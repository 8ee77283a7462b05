#pragma once
// Private helper: libsodium must be initialised once before any of its functions is used.

namespace plugin::api {

/// Initialises libsodium on first call (thread-safe); throws courses::Error(internal) if it fails.
void ensureSodium();

}  // namespace plugin::api
