#include "plugin/app/server_application.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Environment.h>
#include <Poco/Exception.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionCallback.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <signal.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "certificates/error.hpp"
#include "certificates/fonts.hpp"
#include "certificates/signing.hpp"
#include "courses/account_service.hpp"
#include "courses/error.hpp"
#include "courses/mariadb/store.hpp"
#include "courses/services.hpp"
#include "plugin/api/auth.hpp"
#include "plugin/security/passwords.hpp"
#include "plugin/security/secrets.hpp"
#include "plugin/api/routes.hpp"
#include "plugin/certify/maker.hpp"
#include "plugin/cli/demo.hpp"
#include "plugin/http/log.hpp"
#include "plugin/http/metrics.hpp"
#include "plugin/http/router.hpp"
#include "plugin/http/server.hpp"

namespace plugin::app {
namespace {

// The context the duplicate confirmations' key is derived under (16 to 64 bytes).
constexpr std::string_view kConfirmationKeyContext = "qatysu duplicate confirmations";
constexpr std::string_view kLtiStateKeyContext = "qatysu lti login states";

/// Every logger writes one line per message to standard error; standard output is reserved for
/// the "listening on" line that scripts and tests wait for.
void setUpLogging() {
  Poco::AutoPtr<Poco::PatternFormatter> formatter{
      new Poco::PatternFormatter{"%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t"}};
  Poco::AutoPtr<Poco::ConsoleChannel> console{new Poco::ConsoleChannel{std::cerr}};
  Poco::AutoPtr<Poco::FormattingChannel> channel{new Poco::FormattingChannel{formatter, console}};
  Poco::Logger::root().setChannel(channel);  // loggers made later inherit it
  Poco::Logger::setChannel("", channel);     // loggers made already (Poco's own)
  // The transport and the API log through plugin::http::logLine: to the Poco logger of the
  // line's channel.
  http::setLogSink([](std::string_view name, http::LogLevel level, std::string_view message) {
    Poco::Logger& channel_logger = Poco::Logger::get(std::string{name});
    if (level == http::LogLevel::error) {
      channel_logger.error(std::string{message});
    } else {
      channel_logger.warning(std::string{message});
    }
  });
}

/// SIGINT and SIGTERM must reach waitForTerminationRequest()'s sigwait, never kill one of the
/// server's threads: block them before any thread starts, so that every thread inherits the mask.
void blockTerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGQUIT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

/// A configuration value that is not usable.
struct ConfigError {
  std::string message;
};

int intKey(const Poco::Util::AbstractConfiguration& config, const std::string& key, int fallback,
           int min, int max) {
  int value = fallback;
  try {
    value = config.getInt(key, fallback);
  } catch (const Poco::Exception&) {
    throw ConfigError{key + " must be a whole number"};
  }
  if (value < min || value > max) {
    throw ConfigError{key + " must be from " + std::to_string(min) + " to " + std::to_string(max)};
  }
  return value;
}

http::ServerConfig serverConfig(const Poco::Util::AbstractConfiguration& config) {
  http::ServerConfig server;
  server.address = config.getString("http.address", server.address);
  server.port = static_cast<unsigned short>(intKey(config, "http.port", 8080, 0, 65535));
  server.io_threads = static_cast<unsigned>(intKey(config, "http.io_threads", 2, 1, 64));
  server.workers = static_cast<unsigned>(intKey(config, "http.workers", 16, 1, 1024));
  server.queue_limit = static_cast<std::size_t>(intKey(config, "http.queue", 256, 1, 1'000'000));
  // Not in the example configuration: for tests that cannot wait 10 s, and for big hosts.
  server.read_timeout =
      std::chrono::milliseconds{intKey(config, "http.read_timeout_ms", 10'000, 100, 600'000)};
  server.keep_alive_timeout =
      std::chrono::milliseconds{intKey(config, "http.keep_alive_timeout_ms", 10'000, 100, 600'000)};
  server.max_connections =
      static_cast<std::size_t>(intKey(config, "http.max_connections", 1024, 1, 1'000'000));
  try {
    server.trusted_proxies =
        http::TrustedProxies::parse(config.getString("http.trusted_proxies", ""));
  } catch (const std::invalid_argument& e) {
    throw ConfigError{std::string("http.trusted_proxies: ") + e.what()};
  }
  return server;
}

std::string databaseUrl(const Poco::Util::AbstractConfiguration& config) {
  std::string url = Poco::Environment::get("QATYSU_DB_URL", "");
  if (url.empty()) url = config.getString("db.url", "");
  if (url.empty()) throw ConfigError{"no database: set QATYSU_DB_URL or db.url"};
  return url;
}

/// "127.0.0.1" stays as it is; an IPv6 literal is bracketed for a URL.
std::string urlHost(const std::string& address) {
  return address.find(':') == std::string::npos ? address : "[" + address + "]";
}

/// The web app's files: `web.asset_dir`, else `<executable's directory>/../share/qatysu/web`,
/// which is where both the build (build/bin next to build/share) and `cmake --install` put the
/// built app. When that folder is missing, `/` answers 404 and the API works as before.
std::string assetDir(const Poco::Util::AbstractConfiguration& config) {
  std::string configured = config.getString("web.asset_dir", "");
  if (!configured.empty()) return configured;
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "share/qatysu/web";
  return (executable.parent_path() / ".." / "share" / "qatysu" / "web").lexically_normal().string();
}

/// Where certificates come from: the signing key, the fonts and the public base URL.
struct CertificateSettings {
  std::string key_file;
  std::string font_dir;
  std::string public_url;  ///< empty: the server's own address, known once it listens
};

CertificateSettings certificateSettings(const Poco::Util::AbstractConfiguration& config) {
  CertificateSettings settings;
  settings.key_file = config.getString("certificates.key_file", "var/certificate-signing.key");
  settings.font_dir = config.getString("certificates.font_dir", "");
  settings.public_url = config.getString("certificates.public_url", "");
  while (!settings.public_url.empty() && settings.public_url.back() == '/') {
    settings.public_url.pop_back();
  }
  if (!settings.public_url.empty() && !settings.public_url.starts_with("http://") &&
      !settings.public_url.starts_with("https://")) {
    throw ConfigError{"certificates.public_url must start with http:// or https://"};
  }
  if (settings.key_file.empty()) throw ConfigError{"certificates.key_file must not be empty"};
  return settings;
}

}  // namespace

ServerApplication::ServerApplication() {
  setUpLogging();
}

void ServerApplication::defineOptions(Poco::Util::OptionSet& options) {
  Poco::Util::ServerApplication::defineOptions(options);
  options.addOption(Poco::Util::Option("help", "h", "print this help and exit")
                        .required(false)
                        .repeatable(false)
                        .callback(Poco::Util::OptionCallback<ServerApplication>(
                            this, &ServerApplication::handleHelp)));
  options.addOption(Poco::Util::Option("config", "c", "read settings from a Poco properties file")
                        .required(false)
                        .repeatable(false)
                        .argument("FILE")
                        .callback(Poco::Util::OptionCallback<ServerApplication>(
                            this, &ServerApplication::handleConfig)));
}

void ServerApplication::handleHelp(const std::string& /*name*/, const std::string& /*value*/) {
  help_requested_ = true;
  Poco::Util::HelpFormatter help(options());
  help.setCommand(commandName());
  help.setUsage("[--config FILE]");
  help.setHeader("Qatysu training-records service: the HTTP API server.");
  help.setFooter(
      "Settings (properties file): http.address (127.0.0.1), http.port (8080, 0 = any free "
      "port), http.io_threads (2), http.workers (16), http.queue (256), "
      "http.read_timeout_ms (10000), http.keep_alive_timeout_ms (10000), "
      "http.max_connections (1024), http.secure_cookies (false; true behind a TLS proxy), "
      "http.trusted_proxies (none; addresses or CIDR blocks whose X-Forwarded-For is believed), "
      "db.url "
      "(mariadb://user:password@host:port/database; the QATYSU_DB_URL environment variable "
      "takes precedence), certificates.key_file (var/certificate-signing.key; created on first "
      "run), certificates.public_url (http://<http.address>:<http.port>; starts every "
      "verification URL), certificates.font_dir (/usr/share/fonts/truetype/dejavu), "
      "lti.key_file (var/lti-keys.json; the LTI tool's signing keys, created on first run).");
  help.format(std::cout);
  stopOptionsProcessing();
}

void ServerApplication::handleConfig(const std::string& /*name*/, const std::string& value) {
  // Always the properties format, whatever the file is called.
  config().add(new Poco::Util::PropertyFileConfiguration(value), PRIO_APPLICATION);
}

int ServerApplication::main(const std::vector<std::string>& /*args*/) {
  if (help_requested_) return EXIT_OK;
  blockTerminationSignals();
  setLogger(Poco::Logger::get("qatysu"));

  http::ServerConfig server_config;
  courses::mariadb::Config db_config;
  CertificateSettings certificate_settings;
  try {
    server_config = serverConfig(config());
    db_config = courses::mariadb::parseUrl(databaseUrl(config()));
    certificate_settings = certificateSettings(config());
  } catch (const ConfigError& e) {
    logger().error("configuration: " + e.message);
    return EXIT_CONFIG;
  } catch (const courses::Error& e) {
    logger().error(std::string{"configuration: "} + e.what());
    return EXIT_CONFIG;
  }

  // Key and fonts are read before anything listens: a server that cannot sign or draw
  // certificates does not start.
  std::optional<certificates::SigningKey> signing_key;
  std::optional<certificates::FontSet> fonts;
  std::unique_ptr<certify::FontGlyphCoverage> coverage;
  try {
    signing_key.emplace(certificates::SigningKey::loadOrCreate(certificate_settings.key_file));
    fonts.emplace(certificates::FontSet::dejavu(certificate_settings.font_dir));
    coverage = std::make_unique<certify::FontGlyphCoverage>(*fonts);
  } catch (const certificates::Error& e) {
    logger().error(std::string{"certificates: "} + e.what());
    return EXIT_CONFIG;
  }
  logger().information("certificates are signed with key " + signing_key->keyId());
  // The LTI tool's keys, outside the database like the certificate key.
  courses::SystemClock lti_clock;
  const std::string lti_key_file = config().getString("lti.key_file", "var/lti-keys.json");
  std::optional<lti::ToolKeys> lti_keys;
  try {
    if (lti_key_file.empty()) throw lti::JoseError("lti.key_file must not be empty");
    lti_keys.emplace(lti::ToolKeys::loadOrCreate(lti_key_file, lti_clock.now()));
  } catch (const lti::JoseError& e) {
    logger().error(std::string{"lti: "} + e.what());
    return EXIT_CONFIG;
  }
  logger().information("LTI messages are signed with key " + lti_keys->current().kid());

  // The store connects lazily: the server starts (and /readyz answers 503) while the database is
  // down.
  courses::mariadb::Store store{db_config};
  courses::SystemClock clock;
  const courses::Repositories repositories = store.repositories();
  courses::CatalogueService catalogue{repositories};
  courses::CohortService cohorts{repositories};
  // Duplicate confirmations are sealed under a key every node sharing the signing key derives
  // alike (Ed25519 signatures are deterministic), so any node opens what another one sealed.
  const security::SecretBoxSealer confirmations{
      signing_key->sign("qatysu duplicate confirmation key v1"), kConfirmationKeyContext};
  courses::ParticipantService participants{repositories, clock, *coverage, &confirmations};
  courses::EnrolmentService enrolments{repositories};
  courses::AttendanceService attendance{repositories};
  courses::ProfileService profiles{repositories};
  courses::TotalsService totals{repositories};
  courses::HistoryService history{repositories};
  courses::MergeService merges{repositories, store.merges()};
  api::AuthConfig auth_config;
  auth_config.secure_cookies = config().getBool("http.secure_cookies", false);
  const security::Argon2idHasher hasher;
  const security::SodiumAccessCodeSecrets code_secrets;
  courses::AccountService accounts{repositories, clock, hasher, code_secrets};
  api::Auth auth{accounts, repositories.accounts, clock, auth_config};
  // An erasure closes the learner account: the token cache forgets its sessions at once.
  courses::DataRightsService data_rights{repositories, store.dataRights(), clock, &auth};
  http::Metrics metrics;
  metrics.setDbRetriesSource([&store] { return store.transactionRetries(); });

  // The server binds before the routes exist (nothing is accepted until start()), so that with
  // http.port=0 the verification URLs already name the real port.
  http::Router router;
  http::Server server{server_config, router, metrics};
  try {
    server.bind();
  } catch (const std::exception& e) {
    logger().error("cannot listen on " + server_config.address + ":" +
                   std::to_string(server_config.port) + ": " + e.what());
    return EXIT_OSERR;
  }
  const std::string url =
      "http://" + urlHost(server_config.address) + ":" + std::to_string(server.port());
  // Without a configured public URL the server's own address starts verification URLs.
  const std::string public_url =
      certificate_settings.public_url.empty() ? url : certificate_settings.public_url;
  certify::PdfCertificateMaker maker{*fonts, *signing_key, public_url};
  courses::CertificateService certificate_service{repositories, maker, clock};

  // Asked for each page while the note is `demo`: the demo's accounts may be loaded, disabled
  // or never there (a programme LSG-EKZ that demo load left alone) whatever the configuration says.
  const auto demo_loaded = [&repositories]() {
    try {
      const auto learner = repositories.accounts.findByLogin(std::string(cli::kDemoLearnerLogin));
      return learner.has_value() && !learner->account.disabled;
    } catch (const std::exception&) {
      return false;  // the database is down: no note rather than a wrong one
    }
  };
  api::Dependencies dependencies{catalogue,
                                 cohorts,
                                 participants,
                                 enrolments,
                                 attendance,
                                 profiles,
                                 auth,
                                 accounts,
                                 store,
                                 metrics,
                                 certificate_service,
                                 *signing_key,
                                 public_url,
                                 totals,
                                 history,
                                 data_rights,
                                 *fonts,
                                 assetDir(config()),
                                 config().getString("web.login_note", "")};
  dependencies.demo_loaded = demo_loaded;
  dependencies.merges = &merges;
  courses::LtiPlatformService lti_platforms{store.ltiPlatforms()};
  // Logins' states are sealed like the duplicate confirmations: any node opens another's.
  const security::SecretBoxSealer lti_states{signing_key->sign("qatysu lti state key v1"),
                                             kLtiStateKeyContext};
  lti::HttpFetcher lti_fetcher;
  lti::PlatformKeys platform_keys{lti_fetcher};
  courses::LtiLaunchService launches{repositories, store.ltiPlatforms(), accounts, clock, *coverage};
  const api::LtiDependencies lti{lti_platforms, *lti_keys,  lti_clock, store.ltiPlatforms(),
                                 platform_keys, launches,  lti_states, public_url};
  dependencies.lti = &lti;
  api::registerRoutes(router, dependencies);
  try {
    server.start();
  } catch (const std::exception& e) {
    logger().error("cannot start serving on " + url + ": " + e.what());
    return EXIT_OSERR;
  }
  std::cout << "listening on " << url << std::endl;  // flushed: scripts wait for this line
  logger().information("serving on " + url + " with " + std::to_string(server_config.workers) +
                       " workers");

  waitForTerminationRequest();
  logger().information("stopping: finishing requests in progress");
  server.stop();
  logger().information("stopped");
  return EXIT_OK;
}

}  // namespace plugin::app
