#include "plugin/http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <latch>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace plugin::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using ClientResponse = beast_http::response<beast_http::string_body>;

/// A raw-socket client: sends bytes as given and reads what comes back, never waiting forever.
class Client {
 public:
  explicit Client(unsigned short port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
  }

  void send(std::string_view bytes) {
    net::write(socket_, net::buffer(bytes.data(), bytes.size()));
  }

  /// The next response, or nothing when none arrives within `timeout` or the connection ends.
  std::optional<ClientResponse> read(std::chrono::milliseconds timeout = 5s) {
    beast_http::response_parser<beast_http::string_body> parser;
    bool done = false;
    beast::error_code result;
    beast_http::async_read(socket_, buffer_, parser, [&](beast::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    runFor(timeout, done);
    if (!done || result) return std::nullopt;
    return parser.release();
  }

  /// The raw bytes received until `marker` has arrived (or `timeout` passed, or the connection
  /// ended).
  std::string readUntil(std::string_view marker, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string received;
    while (received.find(marker) == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      bool done = false;
      beast::error_code result;
      socket_.async_read_some(buffer_.prepare(65536), [&](beast::error_code ec, std::size_t n) {
        result = ec;
        buffer_.commit(n);
        done = true;
      });
      runFor(std::chrono::duration_cast<std::chrono::milliseconds>(
                 deadline - std::chrono::steady_clock::now()),
             done);
      const auto data = buffer_.data();
      received.append(static_cast<const char*>(data.data()), data.size());
      buffer_.consume(buffer_.size());
      if (result == net::error::eof || result == net::error::connection_reset) saw_end_ = true;
      if (!done || result) break;
    }
    return received;
  }

  /// True once readUntil() met the end of the connection.
  bool sawEnd() const { return saw_end_; }

  /// True when the server closes the connection within `timeout` (data before that is ignored).
  bool closedWithin(std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      bool done = false;
      beast::error_code result;
      socket_.async_read_some(buffer_.prepare(65536), [&](beast::error_code ec, std::size_t n) {
        result = ec;
        buffer_.commit(n);
        done = true;
      });
      runFor(std::chrono::duration_cast<std::chrono::milliseconds>(
                 deadline - std::chrono::steady_clock::now()),
             done);
      if (!done) return false;
      if (result) return result == net::error::eof || result == net::error::connection_reset;
      buffer_.consume(buffer_.size());
    }
    return false;
  }

 private:
  void runFor(std::chrono::milliseconds timeout, const bool& done) {
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!done) {
      socket_.cancel();
      ioc_.restart();
      ioc_.run();
    }
  }

  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  bool saw_end_ = false;
};

std::string get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string{target} + " HTTP/1.1\r\nHost: test\r\n" + std::string{extra_headers} +
         "\r\n";
}

std::string post(std::string_view target, std::string_view body) {
  return "POST " + std::string{target} +
         " HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
         std::string{body};
}

std::string problemType(const ClientResponse& response) {
  return std::string{boost::json::parse(response.body()).as_object().at("type").as_string()};
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() {
    router_.add(
        beast_http::verb::get, "/hello",
        [](Context&) {
          Response response{beast_http::status::ok, 11};
          response.set(beast_http::field::content_type, "text/plain");
          response.body() = "hello";
          return response;
        },
        Execution::inline_io);
    router_.add(beast_http::verb::post, "/echo", [](Context& context) {
      Response response{beast_http::status::ok, 11};
      response.body() = context.request.body();
      return response;
    });
    router_.add(beast_http::verb::get, "/items/{id}", [](Context& context) {
      Response response{beast_http::status::ok, 11};
      response.body() = context.params.at(0) + "|" + context.query["q"];
      return response;
    });
    router_.add(beast_http::verb::get, "/block", [this](Context&) {
      entered_.fetch_add(1);
      release_.wait();
      return Response{beast_http::status::ok, 11};
    });
    router_.add(beast_http::verb::get, "/throw",
                [](Context&) -> Response { throw std::runtime_error("secret detail"); });
    // Streams "piece 0\n" … "piece 199\n", with an empty piece now and then.
    router_.add(beast_http::verb::get, "/stream", [](Context& context) {
      Response response{beast_http::status::ok, 11};
      response.set(beast_http::field::content_type, "text/plain");
      response.body() = "ignored";
      context.stream = [next = 0](std::string& piece) mutable {
        if (next % 50 != 7) piece = "piece " + std::to_string(next) + "\n";
        ++next;
        return next < kPieces;
      };
      return response;
    });
    router_.add(beast_http::verb::get, "/stream-fails", [](Context& context) {
      Response response{beast_http::status::ok, 11};
      context.stream = [next = 0](std::string& piece) mutable -> bool {
        if (next++ == 3) throw std::runtime_error("storage went away");
        piece = "part";
        return true;
      };
      return response;
    });
  }

  static constexpr int kPieces = 200;

  ~ServerTest() override {
    releaseBlocked();
    if (server_) server_->stop();
  }

  static ServerConfig testConfig() {
    ServerConfig config;
    config.port = 0;
    config.io_threads = 2;
    config.workers = 2;
    config.queue_limit = 8;
    config.read_timeout = 3s;
    config.keep_alive_timeout = 3s;
    config.shutdown_grace = 3s;
    return config;
  }

  void start(ServerConfig config = testConfig()) {
    server_ = std::make_unique<Server>(config, router_, metrics_);
    server_->start();
  }

  Client connect() { return Client{server_->port()}; }

  void releaseBlocked() {
    if (!released_) {
      released_ = true;
      release_.count_down();
    }
  }

  /// Waits until `count` requests are inside the blocking handler.
  bool waitEntered(int count) {
    for (int i = 0; i < 500 && entered_.load() < count; ++i) std::this_thread::sleep_for(10ms);
    return entered_.load() >= count;
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::latch release_{1};
  bool released_ = false;
  std::atomic<int> entered_{0};
};

TEST_F(ServerTest, ListensOnARealPortWhenAskedForPortZero) {
  start();
  EXPECT_NE(server_->port(), 0);
}

TEST_F(ServerTest, BindGivesThePortBeforeRoutesAreAddedAndStartServesThem) {
  server_ = std::make_unique<Server>(testConfig(), router_, metrics_);
  const unsigned short port = server_->bind();
  EXPECT_NE(port, 0);
  EXPECT_EQ(server_->bind(), port);
  router_.add(beast_http::verb::get, "/late", [](Context&) {
    Response response{beast_http::status::ok, 11};
    response.body() = "added after bind";
    return response;
  });
  server_->start();
  EXPECT_EQ(server_->port(), port);
  Client client = connect();
  client.send(get("/late"));
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body(), "added after bind");
}

TEST_F(ServerTest, AnswersAndKeepsTheConnectionAlive) {
  start();
  Client client = connect();
  client.send(get("/hello"));
  auto first = client.read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->result(), beast_http::status::ok);
  EXPECT_EQ(first->body(), "hello");
  EXPECT_TRUE(first->keep_alive());
  client.send(post("/echo", "second on the same connection"));
  auto second = client.read();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body(), "second on the same connection");
}

TEST_F(ServerTest, EveryResponseCarriesTheSecurityHeaders) {
  start();
  Client client = connect();
  client.send(get("/hello"));
  auto ok = client.read();
  client.send(get("/nowhere"));
  auto missing = client.read();
  ASSERT_TRUE(ok && missing);
  for (const auto* response : {&*ok, &*missing}) {
    EXPECT_EQ((*response)["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ((*response)["X-Frame-Options"], "DENY");
    EXPECT_EQ((*response)["Referrer-Policy"], "no-referrer");
    EXPECT_EQ((*response)["Content-Security-Policy"], "default-src 'none'; frame-ancestors 'none'");
    EXPECT_EQ((*response)[beast_http::field::cache_control], "no-store");
    EXPECT_EQ((*response)[beast_http::field::server], "qatysu");
    const std::string date{(*response)[beast_http::field::date]};
    EXPECT_EQ(date.size(), 29U) << date;  // "Sun, 06 Nov 1994 08:49:37 GMT"
    EXPECT_TRUE(date.ends_with(" GMT")) << date;
  }
}

TEST_F(ServerTest, UnknownPathIsAProblem404) {
  start();
  Client client = connect();
  client.send(get("/nowhere"));
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::not_found);
  EXPECT_EQ((*response)[beast_http::field::content_type], "application/problem+json");
  EXPECT_EQ(problemType(*response), "https://qatysu.kz/problems/not-found");
}

TEST_F(ServerTest, OtherMethodIsA405WithAllow) {
  start();
  Client client = connect();
  client.send("DELETE /echo HTTP/1.1\r\nHost: test\r\n\r\n");
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::method_not_allowed);
  EXPECT_EQ((*response)[beast_http::field::allow], "POST");
  EXPECT_EQ(problemType(*response), "https://qatysu.kz/problems/method-not-allowed");
  client.send("BREW /hello HTTP/1.1\r\nHost: test\r\n\r\n");  // unknown method, same answer
  auto brew = client.read();
  ASSERT_TRUE(brew);
  EXPECT_EQ(brew->result(), beast_http::status::method_not_allowed);
}

TEST_F(ServerTest, A405AllowsWhatTheRouterSaysThePathTakes) {
  // Methods beyond the usual six are listed too, in the order the routes were added.
  const auto answer = [](Context&) { return Response{beast_http::status::no_content, 11}; };
  router_.add(beast_http::verb::options, "/items/{id}", answer);
  router_.add(beast_http::verb::patch, "/items/{id}", answer);
  start();
  Client client = connect();
  client.send("PUT /items/7 HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::method_not_allowed);
  EXPECT_EQ((*response)[beast_http::field::allow], "GET, HEAD, PATCH, OPTIONS");
}

TEST_F(ServerTest, PassesDecodedParametersAndQuery) {
  start();
  Client client = connect();
  client.send(get("/items/a%20b?q=x%2By+z&other"));
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body(), "a b|x+y z");
  client.send(get("/items/1?q=%zz"));
  auto bad = client.read();
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->result(), beast_http::status::bad_request);
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  start();
  Client client = connect();
  client.send(get("/items/1") + get("/hello") + get("/items/2") + post("/echo", "last"));
  for (const char* expected : {"1|", "hello", "2|", "last"}) {
    auto response = client.read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body(), expected);
  }
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveIsAsked) {
  start();
  Client once = connect();
  once.send("GET /hello HTTP/1.0\r\n\r\n");
  auto response = once.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->version(), 10U);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(once.closedWithin());

  Client kept = connect();
  kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  auto first = kept.read();
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->keep_alive());
  kept.send("GET /hello HTTP/1.0\r\n\r\n");
  auto second = kept.read();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body(), "hello");
}

TEST_F(ServerTest, OversizedHeaderIs431AndCloses) {
  start();
  Client client = connect();
  client.send(get("/hello", "X-Filler: " + std::string(9 * 1024, 'a') + "\r\n"));
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::request_header_fields_too_large);
  EXPECT_EQ(problemType(*response), "https://qatysu.kz/problems/header-too-large");
  EXPECT_EQ((*response)["X-Content-Type-Options"], "nosniff");
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client.closedWithin());
}

TEST_F(ServerTest, OversizedBodyIs413AndCloses) {
  start();
  Client client = connect();
  client.send(post("/echo", std::string(65 * 1024, 'b')));
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::payload_too_large);
  EXPECT_EQ(problemType(*response), "https://qatysu.kz/problems/body-too-large");
  EXPECT_TRUE(client.closedWithin());
}

TEST_F(ServerTest, ARouteMayReadALargerBodyThanTheServersLimit) {
  router_.add(
      beast_http::verb::post, "/large",
      [](Context& context) {
        Response response{beast_http::status::ok, 11};
        response.body() = std::to_string(context.request.body().size());
        return response;
      },
      Execution::worker, 256 * 1024);
  start();
  Client client = connect();
  client.send(post("/large", std::string(200 * 1024, 'l')));
  auto large = client.read();
  ASSERT_TRUE(large);
  EXPECT_EQ(large->result(), beast_http::status::ok);
  EXPECT_EQ(large->body(), std::to_string(200 * 1024));
  // Other routes keep the server's limit, though the parser may now read more before routing.
  client.send(post("/echo", std::string(100 * 1024, 'e')));
  auto echo = client.read();
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->result(), beast_http::status::payload_too_large);
  EXPECT_NE(echo->body().find("65536 bytes"), std::string::npos) << echo->body();
  EXPECT_TRUE(client.closedWithin());

  Client over = connect();
  over.send(post("/large", std::string(300 * 1024, 'l')));
  auto too_large = over.read();
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->result(), beast_http::status::payload_too_large);
  EXPECT_NE(too_large->body().find("262144 bytes"), std::string::npos) << too_large->body();

  Client chunked = connect();
  std::string request = "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 12; ++i) request += "2000\r\n" + std::string(0x2000, 'c') + "\r\n";
  request += "0\r\n\r\n";
  chunked.send(request);
  auto chunked_response = chunked.read();
  ASSERT_TRUE(chunked_response);
  EXPECT_EQ(chunked_response->result(), beast_http::status::payload_too_large);
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
  start();
  Client client = connect();
  std::string request = "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 9; ++i) request += "2000\r\n" + std::string(0x2000, 'c') + "\r\n";
  request += "0\r\n\r\n";
  client.send(request);
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::payload_too_large);
}

TEST_F(ServerTest, ChunkedBodyWithinTheLimitIsRead) {
  start();
  Client client = connect();
  client.send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body(), "abcde");
}

TEST_F(ServerTest, TransferCodingOtherThanChunkedIs400) {
  start();
  Client client = connect();
  client.send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n");
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::bad_request);
  EXPECT_EQ(problemType(*response), "https://qatysu.kz/problems/invalid-request");
  EXPECT_TRUE(client.closedWithin());
}

TEST_F(ServerTest, ContentLengthWithTransferEncodingIs400) {
  start();
  Client client = connect();
  client.send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n");
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::bad_request);
}

TEST_F(ServerTest, MalformedRequestIs400) {
  start();
  Client client = connect();
  client.send("GET /hello HTTP/1.1\r\nBad Header\r\n\r\n");
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::bad_request);
}

TEST_F(ServerTest, AnswersExpectContinue) {
  start();
  Client client = connect();
  client.send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  auto interim = client.read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result(), beast_http::status::continue_);
  client.send("body");
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body(), "body");
}

TEST_F(ServerTest, EscapedExceptionIsAGeneric500) {
  start();
  Client client = connect();
  client.send(get("/throw"));
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::internal_server_error);
  EXPECT_EQ(problemType(*response), "https://qatysu.kz/problems/internal");
  EXPECT_EQ(response->body().find("secret"), std::string::npos);
  client.send(get("/hello"));  // the connection survives
  auto next = client.read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body(), "hello");
}

TEST_F(ServerTest, FullWorkerQueueAnswers503AtOnce) {
  ServerConfig config = testConfig();
  config.workers = 1;
  config.queue_limit = 1;
  start(config);
  Client running = connect();
  running.send(get("/block"));
  ASSERT_TRUE(waitEntered(1));
  // One of these two waits in the queue and the other finds it full; which one is up to timing.
  Client second = connect();
  second.send(get("/block"));
  Client third = connect();
  third.send(get("/block"));
  auto rejected = third.read(1500ms);
  Client* queued = &second;
  if (!rejected) {
    rejected = second.read();
    queued = &third;
  }
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->result(), beast_http::status::service_unavailable);
  EXPECT_EQ((*rejected)[beast_http::field::retry_after], "1");
  EXPECT_EQ(problemType(*rejected), "https://qatysu.kz/problems/unavailable");

  releaseBlocked();
  auto first = running.read();
  auto later = queued->read();
  ASSERT_TRUE(first && later);
  EXPECT_EQ(first->result(), beast_http::status::ok);
  EXPECT_EQ(later->result(), beast_http::status::ok);
}

TEST_F(ServerTest, ReadTimeoutClosesAnIdleConnection) {
  ServerConfig config = testConfig();
  config.read_timeout = 300ms;
  config.keep_alive_timeout = 300ms;
  start(config);
  Client silent = connect();
  EXPECT_TRUE(silent.closedWithin(5s));

  Client partial = connect();
  partial.send("GET /hello HTTP/1.1\r\nHost:");
  EXPECT_TRUE(partial.closedWithin(5s));

  Client idle = connect();
  idle.send(get("/hello"));
  ASSERT_TRUE(idle.read());
  EXPECT_TRUE(idle.closedWithin(5s));
}

TEST_F(ServerTest, RecordsMetricsPerRoute) {
  start();
  Client client = connect();
  client.send(get("/hello") + get("/items/7") + get("/nowhere"));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.read());
  const std::string text = metrics_.render();
  EXPECT_NE(text.find("{route=\"/hello\",method=\"GET\",status=\"200\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("{route=\"/items/{id}\",method=\"GET\",status=\"200\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos);
}

std::string expectedStream() {
  std::string body;
  for (int i = 0; i < 200; ++i) {
    if (i % 50 != 7) body += "piece " + std::to_string(i) + "\n";
  }
  return body;
}

TEST_F(ServerTest, StreamsPiecesInOrderWithChunkedEncoding) {
  start();
  Client client = connect();
  client.send(get("/stream"));
  auto response = client.read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::ok);
  EXPECT_TRUE(response->chunked());
  EXPECT_EQ((*response)[beast_http::field::content_length], "");
  EXPECT_EQ((*response)[beast_http::field::content_type], "text/plain");
  EXPECT_EQ((*response)["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response->body(), expectedStream());
  EXPECT_TRUE(response->keep_alive());

  // The connection carries on after the last chunk.
  client.send(get("/hello"));
  auto next = client.read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body(), "hello");
}

TEST_F(ServerTest, StreamedResponsesOnOneConnectionFollowEachOther) {
  start();
  Client client = connect();
  client.send(get("/stream") + get("/stream"));
  for (int i = 0; i < 2; ++i) {
    auto response = client.read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body(), expectedStream());
  }
}

TEST_F(ServerTest, HeadAnswersTheGetHeaderWithoutTheBody) {
  start();
  Client client = connect();
  client.send("HEAD /items/7?q=x HTTP/1.1\r\nHost: test\r\n\r\n" + get("/hello"));
  const std::string raw = client.readUntil("hello");
  EXPECT_EQ(raw.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << raw;
  // The length of the GET answer's body ("7|x"), and the next response right after the header.
  EXPECT_NE(raw.find("Content-Length: 3\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("\r\n\r\nHTTP/1.1 200 OK\r\n"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("7|x"), std::string::npos) << raw;

  Client refused = connect();
  refused.send("HEAD /echo HTTP/1.1\r\nHost: test\r\n\r\n");
  const std::string post_only = refused.readUntil("\r\n\r\n");
  EXPECT_EQ(post_only.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0U) << post_only;
  EXPECT_NE(post_only.find("Allow: POST\r\n"), std::string::npos) << post_only;

  Client allowed = connect();
  allowed.send("DELETE /hello HTTP/1.1\r\nHost: test\r\n\r\n");
  auto response = allowed.read();
  ASSERT_TRUE(response);
  EXPECT_EQ((*response)[beast_http::field::allow], "GET, HEAD");
}

TEST_F(ServerTest, HeadOfAStreamedRouteSendsTheHeaderOnly) {
  router_.add(beast_http::verb::head, "/stream", [](Context& context) {
    context.stream = [](std::string&) -> bool { throw std::logic_error("never called"); };
    return Response{beast_http::status::ok, 11};
  });
  start();
  Client client = connect();
  client.send("HEAD /stream HTTP/1.1\r\nHost: test\r\n\r\n" + get("/hello"));
  const std::string raw = client.readUntil("hello");
  EXPECT_EQ(raw.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << raw;
  EXPECT_NE(raw.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << raw;
  // No chunk between the HEAD answer's header and the next response.
  EXPECT_NE(raw.find("\r\n\r\nHTTP/1.1 200 OK\r\n"), std::string::npos) << raw;
}

TEST_F(ServerTest, AProducerThatThrowsEndsTheConnection) {
  start();
  Client client = connect();
  client.send(get("/stream-fails"));
  const std::string raw = client.readUntil("never arrives");
  EXPECT_TRUE(client.sawEnd()) << raw;
  EXPECT_NE(raw.find("part"), std::string::npos) << raw;
  // The body never ends properly, so a client cannot mistake it for a complete one.
  EXPECT_EQ(raw.find("\r\n0\r\n\r\n"), std::string::npos) << raw;
}

TEST_F(ServerTest, StopLetsARequestInProgressFinish) {
  start();
  Client idle = connect();
  idle.send(get("/hello"));
  ASSERT_TRUE(idle.read());
  Client busy = connect();
  busy.send(get("/block"));
  ASSERT_TRUE(waitEntered(1));

  std::thread stopper([this] { server_->stop(); });
  EXPECT_TRUE(idle.closedWithin());  // an idle connection is cut at once
  releaseBlocked();
  auto response = busy.read();
  stopper.join();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result(), beast_http::status::ok);
  EXPECT_FALSE(response->keep_alive());
}

}  // namespace
}  // namespace plugin::http
