#include "tests/sandbox/cert_authority.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <utility>
#include <vector>

#include "tests/sandbox/file_writer.h"

namespace wpe {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

KeyPtr makeKey() {
  return KeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), &EVP_PKEY_free);
}

bool addExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// issuer == nullptr: self-signed (the CA).
CertPtr makeCert(const char* commonName, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuerKey,
                 const std::vector<std::pair<int, const char*>>& extensions) {
  CertPtr cert(X509_new(), &X509_free);
  if (!cert) return cert;
  X509* x = cert.get();
  BIGNUM* serial = BN_new();
  bool ok = serial && BN_rand(serial, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
            BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) != nullptr;
  BN_free(serial);
  ok = ok && X509_set_version(x, 2) == 1 && X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
       X509_gmtime_adj(X509_getm_notAfter(x), 30L * 24 * 3600) && X509_set_pubkey(x, key) == 1;
  X509_NAME* name = X509_get_subject_name(x);
  ok = ok &&
       X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                  reinterpret_cast<const unsigned char*>("wpe-sandbox"), -1, -1,
                                  0) == 1 &&
       X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                  reinterpret_cast<const unsigned char*>(commonName), -1, -1,
                                  0) == 1 &&
       X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) == 1;
  for (const auto& [nid, value] : extensions)
    ok = ok && addExtension(x, issuer ? issuer : x, nid, value);
  ok = ok && X509_sign(x, issuerKey, EVP_sha256()) > 0;
  if (!ok) cert.reset();
  return cert;
}

std::string pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return {};
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

Result<CertAuthority::Files> CertAuthority::generate(const std::string& stateDir) const {
  KeyPtr caKey = makeKey();
  KeyPtr serverKey = makeKey();
  if (!caKey || !serverKey) return Error(ErrorCode::Internal, "EC key generation failed");
  CertPtr ca = makeCert("wpe-sandbox test CA", caKey.get(), nullptr, caKey.get(),
                        {{NID_basic_constraints, "critical,CA:TRUE"},
                         {NID_key_usage, "critical,keyCertSign,cRLSign"},
                         {NID_subject_key_identifier, "hash"},
                         {NID_authority_key_identifier, "keyid:always"}});
  if (!ca) return Error(ErrorCode::Internal, "CA certificate creation failed");
  CertPtr server = makeCert("localhost", serverKey.get(), ca.get(), caKey.get(),
                            {{NID_basic_constraints, "critical,CA:FALSE"},
                             {NID_key_usage, "critical,digitalSignature"},
                             {NID_ext_key_usage, "serverAuth"},
                             {NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost"},
                             {NID_subject_key_identifier, "hash"},
                             {NID_authority_key_identifier, "keyid:always"}});
  if (!server) return Error(ErrorCode::Internal, "server certificate creation failed");

  Files files{stateDir + "/ca.pem", stateDir + "/server-key.pem", stateDir + "/server-cert.pem"};
  const std::string caPem = pem(ca.get());
  const std::string keyPem = pem(serverKey.get());
  const std::string certPem = pem(server.get());
  if (caPem.empty() || keyPem.empty() || certPem.empty())
    return Error(ErrorCode::Internal, "PEM encoding failed");
  if (auto s = writeFileAtomically(files.keyFile, keyPem, 0600); !s) return s.error();
  if (auto s = writeFileAtomically(files.certFile, certPem, 0600); !s) return s.error();
  if (auto s = writeFileAtomically(files.caFile, caPem, 0644); !s) return s.error();
  return files;
}

}  // namespace wpe
