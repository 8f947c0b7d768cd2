#include "base/secret.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace kilde {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view s) {
  if (s.size() % 2) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < s.size(); i += 2) {
    auto v = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = v(s[i]), lo = v(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // An empty key is valid HMAC; OpenSSL wants a non-null pointer for it.
  static const unsigned char kNoKey = 0;
  const void* k = key.empty() ? static_cast<const void*>(&kNoKey) : key.data();
  HMAC(EVP_sha256(), k, static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &len);
  return Hex(mac, len);
}

Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    return Status::Internal("the random number generator failed");
  return out;
}

Result<std::string> LoadOrCreateSecret(const std::string& path, size_t n) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      if (st.st_mode & 077)
        return Status(Code::kFailedPrecondition,
                      "the key file " + path + " is readable or writable by others; chmod 600 it");
      std::ifstream in(path);
      std::stringstream text;
      text << in.rdbuf();
      std::string hex = text.str();
      while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
      auto key = Unhex(hex);
      if (!in || !key || key->size() != n) {
        // A file created a moment ago by another process may still be empty: look again once.
        if (attempt == 0 && hex.empty()) {
          ::usleep(50000);
          continue;
        }
        return Status::Internal("the key file " + path + " is not " + std::to_string(n) + " bytes of hex");
      }
      return *key;
    }
    KILDE_ASSIGN_OR_RETURN(std::string key, RandomBytes(n));
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;  // created concurrently: read theirs
      return Status::Internal("cannot create the key file " + path + ": " + std::strerror(errno));
    }
    const std::string hex = Hex(reinterpret_cast<const unsigned char*>(key.data()), key.size()) + "\n";
    const bool ok =
        ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return Status::Internal("cannot write the key file " + path);
    return key;
  }
  return Status::Internal("the key file " + path + " could not be read");
}

}  // namespace kilde
