#include "server_state.hpp"

#include <vector>

#include "http_session.hpp"

namespace plugin::http {

bool ServerState::join(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard lock{mutex_};
  if (stopping() || sessions_.size() >= config_.max_connections) return false;
  sessions_.emplace(session.get(), session);
  return true;
}

void ServerState::leave(const HttpSession* session) noexcept {
  std::lock_guard lock{mutex_};
  sessions_.erase(session);
  if (sessions_.empty()) emptied_.notify_all();
}

void ServerState::stop() {
  std::vector<std::shared_ptr<HttpSession>> open;
  {
    std::lock_guard lock{mutex_};
    stopping_.store(true, std::memory_order_release);
    for (const auto& [raw, weak] : sessions_) {
      // A session whose last owner is gone is already in its destructor, waiting to leave.
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (const auto& session : open) session->shutdown();
}

bool ServerState::waitUntilEmpty(std::chrono::milliseconds grace) {
  std::unique_lock lock{mutex_};
  return emptied_.wait_for(lock, grace, [this] { return sessions_.empty(); });
}

}  // namespace plugin::http
