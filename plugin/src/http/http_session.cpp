#include "http_session.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/core/demangle.hpp>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <variant>

#include "plugin/http/log.hpp"
#include "plugin/http/problem.hpp"
#include "plugin/http/url.hpp"
#include "ows.hpp"

namespace plugin::http {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

/// After the last response of a connection, how long unread request bytes are still drained so
/// that closing does not reset the connection before the client has read the answer.
constexpr std::chrono::milliseconds kLingerTime{1'000};
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

void logError(std::string_view message) {
  logLine("qatysu.http", LogLevel::error, message);
}

/// Methods outside the standard set share one label, so clients cannot grow the metrics.
std::string_view methodLabel(beast_http::verb method) {
  if (method == beast_http::verb::unknown) return "OTHER";
  const auto name = beast_http::to_string(method);
  return {name.data(), name.size()};
}

bool isParseError(const beast::error_code& ec) {
  return ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category();
}

/// The current time as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), formatted at most once
/// a second per thread and without the C locale's help.
std::string_view httpDate() {
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t formatted_at = -1;
  thread_local std::array<char, 32> text{};
  thread_local std::size_t length = 0;
  const std::time_t now = std::time(nullptr);
  if (now != formatted_at) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    const int written =
        std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                      kDays.at(static_cast<std::size_t>(utc.tm_wday)), utc.tm_mday,
                      kMonths.at(static_cast<std::size_t>(utc.tm_mon)), utc.tm_year + 1900,
                      utc.tm_hour, utc.tm_min, utc.tm_sec);
    length = written > 0 ? static_cast<std::size_t>(written) : 0;
    formatted_at = now;
  }
  return {text.data(), length};
}

/// Headers every response carries; a handler may choose its own CSP and caching.
void addStandardHeaders(Response& response) {
  response.set(beast_http::field::server, "qatysu");
  response.set(beast_http::field::date, httpDate());
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  if (response.find("Content-Security-Policy") == response.end()) {
    response.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
  // A page whose policy names who may frame it (an LTI platform) goes without X-Frame-Options,
  // which cannot name anyone; every other answer is never framed.
  const auto policy = response["Content-Security-Policy"];
  if (policy.find("frame-ancestors 'none'") != std::string_view::npos ||
      policy.find("frame-ancestors") == std::string_view::npos) {
    response.set("X-Frame-Options", "DENY");
  }
  if (response.find(beast_http::field::cache_control) == response.end()) {
    response.set(beast_http::field::cache_control, "no-store");
  }
}

/// Runs a handler; whatever escapes it becomes a generic 500 and a log line, never a what()
/// in the response.
Response runHandler(const Route& route, Context& context) {
  try {
    return route.handler(context);
  } catch (const std::exception& e) {
    context.stream = nullptr;
    logError("unhandled " + boost::core::demangle(typeid(e).name()) + " in " +
                   std::string{methodLabel(route.method)} + " " + route.pattern + ": " + e.what());
  } catch (...) {
    context.stream = nullptr;
    logError("unhandled non-standard exception in " + std::string{methodLabel(route.method)} +
                   " " + route.pattern);
  }
  return problem(beast_http::status::internal_server_error, "internal", "Internal server error",
                 "The server failed to handle the request.");
}

}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)), state_(std::move(state)) {
  beast::error_code ec;
  const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
  if (!ec) client_address_ = peer.address().to_string();
}

HttpSession::~HttpSession() {
  state_->leave(this);
}

void HttpSession::run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::start, shared_from_this()));
}

void HttpSession::shutdown() {
  net::post(stream_.get_executor(),
            beast::bind_front_handler(&HttpSession::onShutdown, shared_from_this()));
}

void HttpSession::start() {
  if (!state_->join(shared_from_this())) {
    closeNow();
    return;
  }
  doReadHeader();
}

void HttpSession::doReadHeader() {
  if (state_->stopping()) {
    closeNow();
    return;
  }
  const ServerConfig& config = state_->config();
  phase_ = Phase::idle;
  parser_.emplace();
  parser_->header_limit(config.header_limit);
  // Until the header names the route, the largest limit of any route applies; onReadHeader
  // then narrows it to the route's own.
  body_limit_ = config.body_limit;
  parser_->body_limit(state_->router().largestBodyLimit(config.body_limit));
  // Between requests the idle keep-alive timeout applies; once a request has begun (or for the
  // first one), the read timeout.
  const bool between_requests = !first_request_ && buffer_.size() == 0;
  stream_.expires_after(between_requests ? config.keep_alive_timeout : config.read_timeout);
  beast_http::async_read_header(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&HttpSession::onReadHeader, shared_from_this()));
}

void HttpSession::onReadHeader(beast::error_code ec, std::size_t /*bytes*/) {
  started_ = std::chrono::steady_clock::now();
  if (ec) {
    method_ = parser_->get().method();  // unknown unless the request line was read
    version_ = parser_->get().version() == 10 ? 10 : 11;
    keep_alive_ = false;
    // A Content-Length over every route's limit fails here, once the header is read: the answer
    // names the limit of the route it was sent to.
    if (ec == beast_http::error::body_limit) body_limit_ = bodyLimitFor(parser_->get().target());
    // A parse error deserves an answer; a closed, timed-out or cancelled connection does not.
    if (isParseError(ec) && ec != beast_http::error::end_of_stream &&
        ec != beast_http::error::partial_message) {
      rejectRequest(ec);
    } else {
      closeNow();
    }
    return;
  }
  first_request_ = false;
  phase_ = Phase::reading;
  const auto& header = parser_->get();
  method_ = header.method();
  version_ = header.version();
  keep_alive_ = header.keep_alive();

  // Beast accepts any coding list that ends in "chunked" ("gzip, chunked"); the service takes
  // chunked alone, and never both framings at once (request smuggling).
  const auto encodings = header.equal_range(beast_http::field::transfer_encoding);
  if (encodings.first != encodings.second) {
    if (std::next(encodings.first) != encodings.second ||
        !beast::iequals(trimOws(encodings.first->value()), "chunked")) {
      reject(beast_http::status::bad_request, "invalid-request", "Unsupported transfer coding",
             "Transfer-Encoding must be exactly \"chunked\".");
      return;
    }
    if (header.find(beast_http::field::content_length) != header.end()) {
      reject(beast_http::status::bad_request, "invalid-request", "Ambiguous message length",
             "A request may not carry both Content-Length and Transfer-Encoding.");
      return;
    }
  }

  body_limit_ = bodyLimitFor(header.target());
  if (const auto length = parser_->content_length(); length && *length > body_limit_) {
    rejectRequest(beast_http::error::body_limit);
    return;
  }
  parser_->body_limit(body_limit_);

  if (parser_->is_done()) {
    request_ = parser_->release();
    dispatch();
  } else if (version_ == 11 && beast::iequals(header[beast_http::field::expect], "100-continue")) {
    doContinue();
  } else {
    doReadBody();
  }
}

void HttpSession::doContinue() {
  stream_.expires_after(state_->config().read_timeout);
  net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                   beast::bind_front_handler(&HttpSession::onContinue, shared_from_this()));
}

void HttpSession::onContinue(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    closeNow();
    return;
  }
  doReadBody();
}

void HttpSession::doReadBody() {
  stream_.expires_after(state_->config().read_timeout);
  beast_http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&HttpSession::onReadBody, shared_from_this()));
}

void HttpSession::onReadBody(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    if (isParseError(ec) && ec != beast_http::error::end_of_stream &&
        ec != beast_http::error::partial_message) {
      rejectRequest(ec);
    } else {
      closeNow();
    }
    return;
  }
  request_ = parser_->release();
  dispatch();
}

void HttpSession::dispatch() {
  phase_ = Phase::handling;
  route_label_ = "unmatched";
  const std::string_view target = request_.target();
  if (target.empty() || target.front() != '/') {
    doWrite(problem(beast_http::status::bad_request, "invalid-request", "Malformed request",
                    "The request target must be an absolute path."));
    return;
  }
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  auto query = parseQuery(question == std::string_view::npos ? std::string_view{}
                                                             : target.substr(question + 1));
  if (!query) {
    doWrite(problem(beast_http::status::bad_request, "invalid-request", "Malformed request",
                    "The query string has a malformed percent-escape."));
    return;
  }

  const Router& router = state_->router();
  auto matched = router.match(method_, path);
  if (const auto* miss = std::get_if<Router::Miss>(&matched)) {
    if (miss->reason == Router::Miss::not_found) {
      doWrite(problem(beast_http::status::not_found, "not-found", "Not found",
                      "Nothing is served at this path."));
      return;
    }
    std::string allowed;
    for (const beast_http::verb verb : miss->allowed) {
      if (!allowed.empty()) allowed += ", ";
      allowed += beast_http::to_string(verb);
    }
    Response response =
        problem(beast_http::status::method_not_allowed, "method-not-allowed", "Method not allowed",
                "This path does not accept " + std::string{methodLabel(method_)} + ".");
    response.set(beast_http::field::allow, allowed);
    doWrite(std::move(response));
    return;
  }

  auto& match = std::get<Router::Match>(matched);
  const Route* route = match.route;
  route_label_ = route->pattern;
  if (route->execution == Execution::inline_io) {
    Context context{request_,       std::move(match.params),
                    std::move(*query),
                    clientAddress(client_address_, request_, state_->config().trusted_proxies),
                    route->pattern, {}};
    Response response = runHandler(*route, context);
    respond(std::move(response), std::move(context.stream));
    return;
  }

  // The request stays untouched in this session while a worker reads it: the session reads
  // nothing more until the response is written.
  const bool queued =
      state_->workers().tryPost([self = shared_from_this(), route, params = std::move(match.params),
                                 query = std::move(*query)]() mutable {
        Context context{self->request_, std::move(params), std::move(query),
                        clientAddress(self->client_address_, self->request_,
                                      self->state_->config().trusted_proxies),
                        route->pattern, {}};
        Response response = runHandler(*route, context);
        net::post(self->stream_.get_executor(), [self, response = std::move(response),
                                                 producer = std::move(context.stream)]() mutable {
          self->respond(std::move(response), std::move(producer));
        });
      });
  if (!queued) {
    Response busy = problem(beast_http::status::service_unavailable, "unavailable",
                            "Service unavailable", "The server is busy; retry shortly.");
    busy.set(beast_http::field::retry_after, "1");
    doWrite(std::move(busy));
  }
}

std::uint64_t HttpSession::bodyLimitFor(std::string_view target) const {
  const std::uint64_t server_limit = state_->config().body_limit;
  const auto matched = state_->router().match(method_, target.substr(0, target.find('?')));
  const auto* found = std::get_if<Router::Match>(&matched);
  if (found == nullptr || found->route->body_limit == 0) return server_limit;
  return found->route->body_limit;
}

void HttpSession::reject(beast_http::status status, std::string_view slug, std::string_view title,
                         std::string detail) {
  route_label_ = "unmatched";
  close_after_response_ = true;
  phase_ = Phase::handling;
  doWrite(problem(status, slug, title, detail));
}

void HttpSession::rejectRequest(beast::error_code ec) {
  const ServerConfig& config = state_->config();
  if (ec == beast_http::error::header_limit) {
    reject(beast_http::status::request_header_fields_too_large, "header-too-large",
           "Request header fields too large",
           "The request line and header fields may take at most " +
               std::to_string(config.header_limit) + " bytes.");
  } else if (ec == beast_http::error::body_limit) {
    reject(beast_http::status::payload_too_large, "body-too-large", "Content too large",
           "The request body may be at most " + std::to_string(body_limit_) + " bytes.");
  } else {
    reject(beast_http::status::bad_request, "invalid-request", "Malformed request",
           "The request is not valid HTTP/1.1.");
  }
}

void HttpSession::prepareHeader(Response& response) {
  const bool keep_alive = keep_alive_ && !close_after_response_ && !state_->stopping();
  response.version(version_);
  response.keep_alive(keep_alive);
  addStandardHeaders(response);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
  state_->metrics().observe(route_label_, methodLabel(method_), response.result_int(),
                            elapsed.count());
}

void HttpSession::doWrite(Response response) {
  prepareHeader(response);
  response.prepare_payload();
  if (method_ == beast_http::verb::head) response.body().clear();  // Content-Length stays

  response_ = std::move(response);
  stream_.expires_after(state_->config().read_timeout);
  beast_http::async_write(stream_, response_,
                          beast::bind_front_handler(&HttpSession::onWrite, shared_from_this()));
}

void HttpSession::respond(Response response, StreamWriter::Producer producer) {
  if (producer) {
    doWriteStream(std::move(response), std::move(producer));
  } else {
    doWrite(std::move(response));
  }
}

void HttpSession::doWriteStream(Response response, StreamWriter::Producer producer) {
  prepareHeader(response);
  // A HEAD request gets the header alone; the body is never made.
  if (method_ == beast_http::verb::head) producer = nullptr;
  auto writer = std::make_shared<StreamWriter>(
      stream_, state_, route_label_, std::move(producer),
      beast::bind_front_handler(&HttpSession::onStreamed, shared_from_this()));
  writer->run(std::move(response));
}

void HttpSession::onStreamed(StreamWriter::Outcome outcome) {
  switch (outcome) {
    case StreamWriter::Outcome::keep_alive:
      doReadHeader();
      return;
    case StreamWriter::Outcome::close:
      doClose();
      return;
    case StreamWriter::Outcome::failed:
      closeNow();
      return;
  }
}

void HttpSession::onWrite(beast::error_code ec, std::size_t /*bytes*/) {
  if (ec) {
    closeNow();
    return;
  }
  const bool keep_alive = response_.keep_alive();
  response_ = {};
  if (!keep_alive) {
    doClose();
    return;
  }
  doReadHeader();
}

void HttpSession::doClose() {
  phase_ = Phase::closing;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  drained_ = 0;
  doDrain();
}

void HttpSession::doDrain() {
  stream_.expires_after(std::min(kLingerTime, state_->config().read_timeout));
  stream_.async_read_some(buffer_.prepare(4096),
                          beast::bind_front_handler(&HttpSession::onDrain, shared_from_this()));
}

void HttpSession::onDrain(beast::error_code ec, std::size_t bytes) {
  drained_ += bytes;
  if (ec || drained_ > kLingerBytes) {
    closeNow();
    return;
  }
  doDrain();
}

void HttpSession::onShutdown() {
  // Only a connection waiting for its next request is cut; one with a request in progress is
  // answered and then closed because the server is stopping.
  if (phase_ == Phase::idle) stream_.cancel();
}

void HttpSession::closeNow() {
  phase_ = Phase::closing;
  stream_.close();
}

}  // namespace plugin::http
