#include "audit/signer.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "base/encoding.h"

namespace kilde::audit {

struct Signer::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

Signer::Signer(std::unique_ptr<Key> key) : key_(std::move(key)) {}
Signer::~Signer() = default;

Result<std::unique_ptr<Signer>> Signer::Load(const std::string& path) {
  auto key = std::make_unique<Key>();
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return Status::NotFound("cannot read the audit signing key " + path);
  key->pkey = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!key->pkey || EVP_PKEY_get_id(key->pkey) != EVP_PKEY_ED25519)
    return Status::Internal(path + " is not an Ed25519 private key (the audit signing key)");
  return std::make_unique<Signer>(std::move(key));
}

Result<std::unique_ptr<Signer>> Signer::LoadOrCreate(const std::string& path) {
  if (std::filesystem::exists(path)) return Load(path);
  auto key = std::make_unique<Key>();
  key->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (!key->pkey) return Status::Internal("cannot generate an Ed25519 key");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return Status::Internal("cannot create the audit signing key " + path);
  FILE* f = ::fdopen(fd, "w");
  if (!f) {
    ::close(fd);
    return Status::Internal("cannot write the audit signing key " + path);
  }
  const bool ok = PEM_write_PrivateKey(f, key->pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  const bool synced = std::fflush(f) == 0 && ::fsync(fd) == 0;
  std::fclose(f);
  if (!ok || !synced) {
    std::filesystem::remove(path);
    return Status::Internal("cannot write the audit signing key " + path);
  }
  return std::make_unique<Signer>(std::move(key));
}

std::string Signer::Sign(std::string_view message) const {
  unsigned char sig[64];
  size_t len = sizeof sig;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_->pkey) == 1 &&
                  EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const unsigned char*>(message.data()),
                                 message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  assert(ok && "Ed25519 signing failed");
  (void)ok;
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(sig), len));
}

bool Signer::Verify(std::string_view message, std::string_view signature) const {
  auto raw = Base64UrlDecode(signature);
  if (!raw || raw->size() != 64) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key_->pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(raw->data()), raw->size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string Signer::PublicKeyPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string out;
  if (bio && PEM_write_bio_PUBKEY(bio, key_->pkey) == 1) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    out.assign(data, static_cast<size_t>(n));
  }
  BIO_free(bio);
  return out;
}

}  // namespace kilde::audit
