#include "ingest/gzip_reader.h"

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <catch2/catch.hpp>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zlib.h>

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

// `text` as one gzip member, written by zlib.
std::string GzipMember(const std::string& text) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// What zlib's stream (InputFile) reads of `path`: the reference for the whole-file path. Stops
// at damage and says so in *damage.
std::string Streamed(const std::string& path, std::string* damage) {
  auto file = ingest::InputFile::Open(path);
  REQUIRE(file.ok());
  std::string out;
  char buf[4096];
  while (true) {
    auto n = (*file)->Read(buf, sizeof buf);
    if (!n.ok()) {
      *damage = std::string(n.status().message());
      break;
    }
    if (*n == 0) break;
    out.append(buf, *n);
  }
  return out;
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

TEST_CASE("Whole-file gzip reads equal zlib's stream: members, trailing bytes, damage",
          "[ingest][gzip]") {
  TempDir dir;
  std::string damage;
  SECTION("a real paper list") {
    const std::string real = collabgraph::testing::DataDir() + "/paperlists/nips/nips2016.json.gz";
    if (!std::filesystem::exists(real)) {
      WARN("data directory missing: " << real);
      return;
    }
    auto whole = ingest::ReadMaybeGzipFile(real);
    REQUIRE(whole.ok());
    CHECK(whole->size() > 1000000);
    CHECK(*whole == Streamed(real, &damage));
    CHECK(damage.empty());
    CHECK(whole->capacity() - whole->size() >= ingest::kReadSlack);
  }
  // Text that compresses well, so that its member is far larger than the trailer of a small
  // last member says: the output buffer must grow.
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "{\"id\": " + std::to_string(i) + ", \"title\": \"x\"},\n";
  const std::string small = "[1, 2, 3]\n";
  SECTION("several members read as one text, whatever the last one's size") {
    const std::string path =
        dir.Write("multi.json.gz", GzipMember(big) + GzipMember(small) + GzipMember(big));
    auto whole = ingest::ReadMaybeGzipFile(path);
    REQUIRE(whole.ok());
    CHECK(*whole == big + small + big);
    CHECK(*whole == Streamed(path, &damage));
    CHECK(whole->capacity() - whole->size() >= ingest::kReadSlack);
  }
  SECTION("bytes after the last member that are not gzip are ignored, as zlib does") {
    const std::string path = dir.Write("tail.json.gz", GzipMember(small) + "not gzip");
    auto whole = ingest::ReadMaybeGzipFile(path);
    REQUIRE(whole.ok());
    CHECK(*whole == small);
    CHECK(*whole == Streamed(path, &damage));
  }
  SECTION("a plain file and an empty one pass through unchanged") {
    auto plain = ingest::ReadMaybeGzipFile(dir.Write("plain.json", big));
    REQUIRE(plain.ok());
    CHECK(*plain == big);
    CHECK(plain->capacity() - plain->size() >= ingest::kReadSlack);
    // Read into a buffer of the file's size and the slack, not grown at the end of the file.
    CHECK(plain->capacity() < plain->size() + plain->size() / 2);
    auto empty = ingest::ReadMaybeGzipFile(dir.Write("empty.json", ""));
    REQUIRE(empty.ok());
    CHECK(empty->empty());
    CHECK(empty->capacity() >= ingest::kReadSlack);
    // One byte of the magic is not gzip.
    CHECK(*ingest::ReadMaybeGzipFile(dir.Write("one.json", "\x1f")) == "\x1f");
  }
  SECTION("a damaged member fails as the stream does; with `truncated`, the text before it") {
    std::string second = GzipMember(big);
    for (size_t i = second.size() / 2; i < second.size() / 2 + 16; ++i) second[i] = '\x55';
    const std::string path = dir.Write("bad.json.gz", GzipMember(small) + second);
    auto whole = ingest::ReadMaybeGzipFile(path);
    INFO(whole.status().ToString());
    REQUIRE(absl::IsDataLoss(whole.status()));
    CHECK(whole.status().message().find(path) != std::string_view::npos);
    CHECK(whole.status().message().find("decompressed bytes") != std::string_view::npos);
    std::string truncated;
    auto kept = ingest::ReadMaybeGzipFile(path, &truncated);
    REQUIRE(kept.ok());
    CHECK(!truncated.empty());
    CHECK(kept->capacity() - kept->size() >= ingest::kReadSlack);
    const std::string streamed = Streamed(path, &damage);
    CHECK(*kept == streamed);
    CHECK(kept->substr(0, small.size()) == small);
    CHECK(kept->size() < small.size() + big.size());
  }
  SECTION("a file cut short fails, and `truncated` keeps what came before the cut") {
    const std::string member = GzipMember(big);
    const std::string path = dir.Write("cut.json.gz", member.substr(0, member.size() / 2));
    CHECK(absl::IsDataLoss(ingest::ReadMaybeGzipFile(path).status()));
    std::string truncated;
    auto kept = ingest::ReadMaybeGzipFile(path, &truncated);
    REQUIRE(kept.ok());
    CHECK(!truncated.empty());
    CHECK(*kept == Streamed(path, &damage));
    CHECK(!kept->empty());
    CHECK(big.compare(0, kept->size(), *kept) == 0);
    // The magic alone, shorter than the size trailer: damage, as zlib's stream says.
    const std::string magic = dir.Write("magic.json.gz", "\x1f\x8b");
    CHECK(absl::IsDataLoss(ingest::ReadMaybeGzipFile(magic).status()));
  }
}
