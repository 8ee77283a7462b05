#pragma once
// qatysu-server's composition root: reads the configuration, builds every object of the service
// (storage, services, the certificate maker and its key, authentication, metrics, the routing
// table, the HTTP server) and serves until SIGINT or SIGTERM.

#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

namespace plugin::app {

/// Options: --config FILE (Poco properties), --help. Keys: http.address (127.0.0.1), http.port
/// (8080; 0 picks a free port), http.io_threads (2), http.workers (16), http.queue (256),
/// http.read_timeout_ms (10000), http.keep_alive_timeout_ms (10000), http.max_connections (1024),
/// db.url (the environment variable QATYSU_DB_URL wins), certificates.key_file
/// (var/certificate-signing.key, created with mode 0600 on first run), certificates.public_url
/// (http://<http.address>:<http.port>), certificates.font_dir (Debian's DejaVu directory). Once it
/// accepts connections it prints exactly one line, "listening on http://ADDR:PORT", to standard
/// output; logs go to standard error.
class ServerApplication : public Poco::Util::ServerApplication {
 public:
  ServerApplication();

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  int main(const std::vector<std::string>& args) override;

 private:
  void handleHelp(const std::string& name, const std::string& value);
  void handleConfig(const std::string& name, const std::string& value);

  bool help_requested_ = false;
};

}  // namespace plugin::app
