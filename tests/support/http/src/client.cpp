#include "support/http/client.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <stdexcept>

namespace support::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Replies bigger than this are a test failure in themselves; the cap keeps a runaway server from
// exhausting the test's memory.
constexpr std::uint64_t kMaxReplyBody = 64ull * 1024 * 1024;

}  // namespace

std::string Reply::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoreCase(key, name)) return value;
  }
  return {};
}

bool Reply::hasHeader(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return equalsIgnoreCase(h.first, name); });
}

boost::json::value Reply::json() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec) throw std::runtime_error("reply body is not JSON (" + ec.message() + "): " + describe());
  return value;
}

std::string Reply::describe() const {
  std::string text = "HTTP " + std::to_string(status) + "\n";
  for (const auto& [key, value] : headers) text += key + ": " + value + "\n";
  constexpr std::size_t kShown = 2000;
  text += body.size() > kShown
              ? body.substr(0, kShown) + "…(" + std::to_string(body.size()) + " bytes)"
              : body;
  return text;
}

Client::Client(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : host_(std::move(host)), port_(port), timeout_(timeout) {}

Client Client::withToken(std::string token) const {
  Client copy = *this;
  copy.token_ = std::move(token);
  return copy;
}

Reply Client::send(const Request& request) const {
  std::string bytes = request.method + " " + request.target + " HTTP/1.1\r\n";
  bytes += "Host: " + host_ + ":" + std::to_string(port_) + "\r\n";
  if (!token_.empty()) bytes += "Authorization: Bearer " + token_ + "\r\n";
  bool has_content_type = false;
  for (const auto& [key, value] : request.headers) {
    if (equalsIgnoreCase(key, "Content-Type")) has_content_type = true;
    bytes += key + ": " + value + "\r\n";
  }
  if (!request.body.empty() && !has_content_type && !request.content_type.empty()) {
    bytes += "Content-Type: " + request.content_type + "\r\n";
  }
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
      request.method == "PATCH") {
    bytes += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  bytes += "\r\n";
  bytes += request.body;
  return sendRaw(bytes);
}

namespace {

Request makeRequest(std::string method, std::string target, std::string body, Headers headers) {
  Request request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  request.headers = std::move(headers);
  return request;
}

}  // namespace

Reply Client::get(std::string target) const {
  return send(makeRequest("GET", std::move(target), {}, {}));
}

Reply Client::del(std::string target) const {
  return send(makeRequest("DELETE", std::move(target), {}, {}));
}

Reply Client::post(std::string target, std::string body, Headers headers) const {
  return send(makeRequest("POST", std::move(target), std::move(body), std::move(headers)));
}

Reply Client::put(std::string target, std::string body, Headers headers) const {
  return send(makeRequest("PUT", std::move(target), std::move(body), std::move(headers)));
}

Reply Client::patch(std::string target, std::string body, Headers headers) const {
  return send(makeRequest("PATCH", std::move(target), std::move(body), std::move(headers)));
}

Reply Client::edit(std::string target, std::string body) const {
  const Reply read = get(target);
  const std::string tag = read.status == 200 ? read.header("ETag") : std::string();
  return patch(std::move(target), std::move(body), {{"If-Match", tag.empty() ? "*" : tag}});
}

Reply Client::sendRaw(std::string_view bytes) const {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(timeout_);

  asio::ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(host_, std::to_string(port_), ec);
  if (ec) throw std::runtime_error("cannot resolve " + host_ + ": " + ec.message());
  stream.connect(endpoints, ec);
  if (ec) {
    throw std::runtime_error("cannot connect to " + host_ + ":" + std::to_string(port_) + ": " +
                             ec.message());
  }

  // Write and read at the same time: a server may answer (413, 431, 400) before it has read the
  // whole request, and must still be heard.
  beast::flat_buffer buffer;
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(kMaxReplyBody);
  parser.header_limit(1024 * 1024);
  boost::system::error_code read_ec = asio::error::timed_out;
  boost::system::error_code write_ec;
  bool read_done = false;
  bool write_done = false;
  beast_http::async_read(stream, buffer, parser, [&](boost::system::error_code e, std::size_t) {
    read_ec = e;
    read_done = true;
    // The rest of the request is of no interest once the answer is in.
    if (!write_done) stream.socket().cancel();
  });
  asio::async_write(stream.socket(), asio::buffer(bytes.data(), bytes.size()),
                    [&](boost::system::error_code e, std::size_t) {
                      write_ec = e;
                      write_done = true;
                    });
  io.run();

  if (!read_done || read_ec) {
    std::string why = read_done ? read_ec.message() : "no reply";
    if (write_ec) why += " (write: " + write_ec.message() + ")";
    throw std::runtime_error("no HTTP reply from " + host_ + ":" + std::to_string(port_) + ": " +
                             why);
  }
  auto& message = parser.get();
  Reply reply;
  reply.status = message.result_int();
  for (const auto& field : message) {
    reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  reply.body = std::move(message.body());
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return reply;
}

std::string toJson(const boost::json::value& value) {
  return boost::json::serialize(value);
}

}  // namespace support::http
