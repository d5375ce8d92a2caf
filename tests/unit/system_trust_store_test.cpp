#include "daemon/upstream/system_trust_store.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "temp_dir.h"

using namespace wpe;

namespace {

// Sets an environment variable for one scope and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = ::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("SystemTrustStore: empty unless the file has a certificate or the dir a hashed one",
          "[system_trust_store]") {
  testing::TempDir dir;
  ScopedEnv file("SSL_CERT_FILE", dir / "missing.crt");
  ScopedEnv certs("SSL_CERT_DIR", dir / "certs" + ":" + dir / "more");
  CHECK_FALSE(SystemTrustStore::hasCertificates());

  SECTION("a bundle with a certificate") {
    write(dir / "missing.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    CHECK(SystemTrustStore::hasCertificates());
  }
  SECTION("an empty bundle") {
    write(dir / "missing.crt", "");
    CHECK_FALSE(SystemTrustStore::hasCertificates());
  }
  SECTION("a hashed link in the second directory of SSL_CERT_DIR") {
    std::filesystem::create_directory(dir / "more");
    write(dir / "more" + "/README", "not a certificate");
    CHECK_FALSE(SystemTrustStore::hasCertificates());
    write(dir / "more" + "/3513523f.0", "-----BEGIN CERTIFICATE-----\n");
    CHECK(SystemTrustStore::hasCertificates());
  }
}

TEST_CASE("SystemTrustStore: the advice names the package and the profile",
          "[system_trust_store]") {
  CHECK(SystemTrustStore::advice("work") ==
        "no system CA certificates (install the ca-certificates package: sudo apt install "
        "ca-certificates), or set ca_file for profile work");
}
