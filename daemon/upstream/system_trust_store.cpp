#include "daemon/upstream/system_trust_store.h"

#include <dirent.h>
#include <openssl/x509.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

namespace wpe {
namespace {

std::string defaultPath(const char* envName, const char* compiledIn) {
  const char* set = std::getenv(envName);
  return set ? set : compiledIn;
}

bool fileHasCertificate(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // "-----BEGIN CERTIFICATE-----" and "-----BEGIN TRUSTED CERTIFICATE-----" alike.
  return text.find("CERTIFICATE-----") != std::string::npos;
}

// OpenSSL's directory lookup only finds certificates by subject hash: eight hex digits, a dot,
// a decimal digit ("3513523f.0"); other files there are never consulted.
bool isHashedName(const std::string& name) {
  const auto dot = name.find('.');
  if (dot != 8 || dot + 1 >= name.size()) return false;
  for (std::size_t i = 0; i < dot; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(name[i]))) return false;
  }
  for (std::size_t i = dot + 1; i < name.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  }
  return true;
}

bool directoryHasCertificate(const std::string& path) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
  if (!dir) return false;
  while (const dirent* entry = ::readdir(dir.get())) {
    if (isHashedName(entry->d_name)) return true;
  }
  return false;
}

}  // namespace

bool SystemTrustStore::hasCertificates() {
  if (fileHasCertificate(
          defaultPath(X509_get_default_cert_file_env(), X509_get_default_cert_file()))) {
    return true;
  }
  // SSL_CERT_DIR is a list, separated like PATH.
  std::stringstream dirs(defaultPath(X509_get_default_cert_dir_env(), X509_get_default_cert_dir()));
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && directoryHasCertificate(dir)) return true;
  }
  return false;
}

std::string SystemTrustStore::advice(const std::string& profile) {
  return "no system CA certificates (install the ca-certificates package: sudo apt install "
         "ca-certificates), or set ca_file for profile " +
         profile;
}

}  // namespace wpe
