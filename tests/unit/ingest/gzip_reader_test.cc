#include "ingest/gzip_reader.h"

#include <chrono>
#include <future>
#include <thread>

#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "test_util.h"

using namespace collabgraph;
using collabgraph::testing::TempDir;

namespace {

// Reads `path` on another thread: a read that blocks (a FIFO opened for reading waits for a
// writer) fails the test instead of hanging it; the blocked thread is left behind.
absl::StatusOr<std::string> ReadWithin(const std::string& path, std::chrono::seconds limit) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<std::string>>>();
  auto result = promise->get_future();
  std::thread([promise, path] { promise->set_value(ingest::ReadMaybeGzipFile(path)); }).detach();
  if (result.wait_for(limit) != std::future_status::ready) {
    return absl::DeadlineExceededError(path + ": the read blocked");
  }
  return result.get();
}

void ExpectRefused(const std::string& path, const char* kind) {
  auto read = ReadWithin(path, std::chrono::seconds(10));
  INFO(read.status().ToString());
  CHECK(absl::IsInvalidArgument(read.status()));
  CHECK(read.status().message().find(path) != std::string_view::npos);
  CHECK(read.status().message().find("not a regular file") != std::string_view::npos);
  CHECK(read.status().message().find(kind) != std::string_view::npos);
}

}  // namespace

TEST_CASE("Inputs that are not regular files are refused by name, without blocking",
          "[ingest][security]") {
  TempDir dir;
  SECTION("a directory") { ExpectRefused(dir.path(), "a directory"); }
  SECTION("a FIFO with no writer") {
    const std::string fifo = dir.Sub("papers.json");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    ExpectRefused(fifo, "a FIFO");
  }
  SECTION("a character device") { ExpectRefused("/dev/null", "a character device"); }
  SECTION("a socket") {
    const std::string sock = dir.Sub("s");
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(sock.size() < sizeof addr.sun_path);
    sock.copy(addr.sun_path, sock.size());
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    ExpectRefused(sock, "a socket");
    ::close(fd);
  }
  SECTION("a symbolic link to a FIFO") {
    const std::string fifo = dir.Sub("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string link = dir.Sub("link.json");
    REQUIRE(::symlink(fifo.c_str(), link.c_str()) == 0);
    ExpectRefused(link, "a FIFO");
  }
  SECTION("a regular file, and a symbolic link to one, are read") {
    const std::string file = dir.Write("plain.json", "[]");
    auto read = ingest::ReadMaybeGzipFile(file);
    REQUIRE(read.ok());
    CHECK(*read == "[]");
    const std::string link = dir.Sub("link.json");
    REQUIRE(::symlink(file.c_str(), link.c_str()) == 0);
    CHECK(ingest::ReadMaybeGzipFile(link).ok());
  }
  SECTION("a missing file is NotFound, naming it") {
    auto read = ingest::ReadMaybeGzipFile(dir.Sub("missing.json"));
    CHECK(absl::IsNotFound(read.status()));
    CHECK(read.status().message().find("missing.json") != std::string_view::npos);
  }
}
