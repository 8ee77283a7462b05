#include "plugin/lti/fetch.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <charconv>
#include <exception>
#include <mutex>
#include <string_view>

namespace plugin::lti {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Target {
  bool tls = false;
  std::string host;  ///< without brackets
  std::string port;
  std::string path;  ///< path and query
};

Target parse(const std::string& url) {
  Target target;
  std::string_view rest = url;
  if (rest.starts_with("https://")) {
    target.tls = true;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    throw FetchError("not an http(s) URL");
  }
  const std::size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "/" : rest.substr(slash);
  if (const std::size_t hash = path.find('#'); hash != std::string_view::npos) {
    path = path.substr(0, hash);
  }
  if (path.empty() || path.front() == '?') target.path = "/" + std::string(path);
  else target.path = std::string(path);
  if (authority.empty() || authority.find('@') != std::string_view::npos) {
    throw FetchError("the URL has no host or carries credentials");
  }
  std::string_view port;
  if (authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) throw FetchError("the URL's host is malformed");
    target.host = std::string(authority.substr(1, close - 1));
    if (authority.size() > close + 1 && authority[close + 1] == ':') port = authority.substr(close + 2);
  } else {
    const std::size_t colon = authority.find(':');
    target.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  target.port = port.empty() ? (target.tls ? "443" : "80") : std::string(port);
  return target;
}

std::optional<long long> maxAge(std::string_view cache_control) {
  const std::size_t at = cache_control.find("max-age=");
  if (at == std::string_view::npos) return std::nullopt;
  long long value = 0;
  const char* begin = cache_control.data() + at + 8;
  const auto [end, error] = std::from_chars(begin, cache_control.data() + cache_control.size(), value);
  if (error != std::errc{} || end == begin) return std::nullopt;
  return value;
}

asio::ssl::context& tlsContext() {
  static std::once_flag once;
  static std::optional<asio::ssl::context> context;
  std::call_once(once, [] {
    context.emplace(asio::ssl::context::tls_client);
    context->set_default_verify_paths();
    context->set_verify_mode(asio::ssl::verify_peer);
  });
  return *context;
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const Target& target, const std::string& accept,
                               const FetchLimits& limits, Fetched& out) {
  bhttp::request<bhttp::empty_body> request{bhttp::verb::get, target.path, 11};
  request.set(bhttp::field::host, target.host.find(':') != std::string::npos
                                       ? "[" + target.host + "]:" + target.port
                                       : target.host + ":" + target.port);
  request.set(bhttp::field::user_agent, "Qatysu");
  request.set(bhttp::field::accept, accept);
  request.set(bhttp::field::connection, "close");
  co_await bhttp::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(limits.max_body);
  co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
  const auto& response = parser.get();
  out.status = static_cast<int>(response.result_int());
  out.content_type = std::string(response[bhttp::field::content_type]);
  out.max_age = maxAge(response[bhttp::field::cache_control]);
  out.body = response.body();
}

asio::awaitable<void> run(const Target& target, const std::string& accept,
                          const FetchLimits& limits, Fetched& out) {
  auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver{executor};
  const auto endpoints =
      co_await resolver.async_resolve(target.host, target.port, asio::use_awaitable);
  if (!target.tls) {
    beast::tcp_stream stream{executor};
    stream.expires_after(limits.timeout);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    co_await exchange(stream, target, accept, limits, out);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream{executor, tlsContext()};
  if (!SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str())) {
    throw FetchError("TLS: cannot name the host");
  }
  stream.set_verify_callback(asio::ssl::host_name_verification(target.host));
  beast::get_lowest_layer(stream).expires_after(limits.timeout);
  co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
  co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
  co_await exchange(stream, target, accept, limits, out);
}

}  // namespace

Fetched HttpFetcher::get(const std::string& url, const std::string& accept,
                         const FetchLimits& limits) {
  const Target target = parse(url);
  Fetched out;
  std::exception_ptr failure;
  asio::io_context io;  // last: its frames, destroyed with it, refer to the two above
  asio::co_spawn(io, run(target, accept, limits, out),
                 [&failure](std::exception_ptr error) { failure = error; });
  // The streams' own expiry covers connect, send and read; this bounds resolving too.
  io.run_for(limits.timeout + std::chrono::milliseconds(500));
  if (!io.stopped()) {
    io.stop();
    throw FetchError("timed out after " + std::to_string(limits.timeout.count()) + " ms");
  }
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const FetchError&) {
      throw;
    } catch (const boost::system::system_error& e) {
      if (e.code() == beast::error::timeout) {
        throw FetchError("timed out after " + std::to_string(limits.timeout.count()) + " ms");
      }
      if (e.code() == bhttp::error::body_limit) {
        throw FetchError("the answer is larger than " + std::to_string(limits.max_body) + " bytes");
      }
      throw FetchError(e.code().message());
    } catch (const std::exception& e) {
      throw FetchError(e.what());
    }
  }
  return out;
}

}  // namespace plugin::lti
