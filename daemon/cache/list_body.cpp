#include "daemon/cache/list_body.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

namespace wpe {
namespace {

// 256 KiB: few write(2) calls for a 6 MB list, a small transient buffer.
constexpr std::size_t kWriteBuffer = 256 * 1024;

// An fd that closes itself.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// An unnamed 0600 file in cacheDir, or -1. The directory is opened O_NOFOLLOW and must be a
// directory of ours (as makeCacheDirectory() checked when the cache opened: here again, since
// it may have been swapped since).
int unnamedFile(const std::string& cacheDir) {
  Fd dir(::open(cacheDir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (dir.get() < 0) return -1;
  struct stat st {};
  if (::fstat(dir.get(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) return -1;
  int fd = ::openat(dir.get(), ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  // No O_TMPFILE here: a fresh name (O_EXCL: never an existing file or a symlink), unlinked
  // at once. Named in the open directory, not through the path, so a swap cannot move it.
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::string name = ".list-body-" + std::to_string(::getpid()) + "-" +
                             std::to_string(counter.fetch_add(1)) + "-" +
                             std::to_string(std::random_device{}());
    fd = ::openat(dir.get(), name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0600);
    if (fd >= 0) {
      ::unlinkat(dir.get(), name.c_str(), 0);
      return fd;
    }
    if (errno != EEXIST) return -1;
  }
  return -1;
}

bool writeAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

ListBody::ListBody(int fd, std::size_t size, std::string text)
    : fd_(fd), size_(size), text_(std::move(text)) {}

ListBody::~ListBody() {
  if (fd_ >= 0) ::close(fd_);
}

std::shared_ptr<const ListBody> ListBody::fromText(std::string text) {
  const std::size_t size = text.size();
  return std::shared_ptr<const ListBody>(new ListBody(-1, size, std::move(text)));
}

std::shared_ptr<const ListBody> ListBody::build(const std::string& cacheDir,
                                                const std::function<bool(const Sink&)>& produce) {
  Fd file(unnamedFile(cacheDir));
  if (file.get() >= 0) {
    std::string buffer;
    buffer.reserve(kWriteBuffer);
    std::size_t size = 0;
    bool written = true;
    auto flush = [&] {
      written = written && writeAll(file.get(), buffer.data(), buffer.size());
      size += buffer.size();
      buffer.clear();
      return written;
    };
    const bool produced = produce([&](std::string_view piece) {
      if (buffer.size() + piece.size() > kWriteBuffer && !flush()) return false;
      if (piece.size() >= kWriteBuffer) {
        written = writeAll(file.get(), piece.data(), piece.size());
        size += piece.size();
        return written;
      }
      buffer.append(piece);
      return true;
    });
    if (produced && flush()) {
      return std::shared_ptr<const ListBody>(new ListBody(file.release(), size, std::string()));
    }
    if (written) return nullptr;  // the producer gave up: its reason, not ours
  }
  // No file (or it could not be written, e.g. a full disk): the text in memory.
  std::string text;
  const bool produced = produce([&](std::string_view piece) {
    text.append(piece);
    return true;
  });
  if (!produced) return nullptr;
  return fromText(std::move(text));
}

Result<std::string> ListBody::read() const {
  if (fd_ < 0) return text_;
  std::string out(size_, '\0');
  std::size_t done = 0;
  while (done < size_) {
    ssize_t n = ::pread(fd_, out.data() + done, size_ - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Error(ErrorCode::CacheUnavailable,
                   std::string("reading a cached list back failed: ") +
                       (n < 0 ? std::strerror(errno) : "the file is shorter than written"));
    }
    done += static_cast<std::size_t>(n);
  }
  return out;
}

}  // namespace wpe
