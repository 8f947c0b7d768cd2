#include "auth/dev_issuer.h"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "auth/jws_sign.h"
#include "base/encoding.h"
#include "base/norwegian_ids.h"

namespace kilde::auth {
namespace {

using nlohmann::json;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

std::string Errno(const std::string& what, const std::filesystem::path& p) {
  return what + " " + p.string() + ": " + std::strerror(errno);
}

Result<std::string> PrivatePem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return Status::Internal("cannot encode the dev issuer key");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

// Writes a new key to `path` without ever replacing an existing file. OK also if another process won.
Status CreateKeyFile(const std::filesystem::path& path) {
  EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return Status::Internal("cannot generate the dev issuer key");
  KILDE_ASSIGN_OR_RETURN(std::string pem, PrivatePem(key.get()));
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + RandomHex(8);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal(Errno("cannot create", tmp));
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size()) && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    Status st = Status::Internal(Errno("cannot write", tmp));
    ::unlink(tmp.c_str());
    return st;
  }
  int rc = ::link(tmp.c_str(), path.c_str());  // atomic, never replaces
  int link_errno = errno;
  ::unlink(tmp.c_str());
  if (rc != 0 && link_errno != EEXIST) {
    errno = link_errno;
    return Status::Internal(Errno("cannot create", path));
  }
  return Status::Ok();
}

Result<EvpPkeyPtr> LoadKeyFile(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Internal(Errno("cannot open", path));
  struct stat st {};
  std::string pem;
  bool ok = ::fstat(fd, &st) == 0;
  if (ok && (st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status(Code::kFailedPrecondition, "dev issuer key " + path.string() + " has mode " + mode +
                                                 "; it must not be accessible to others (chmod 600)");
  }
  char buf[4096];
  ssize_t n = 0;
  while (ok && (n = ::read(fd, buf, sizeof buf)) > 0) pem.append(buf, static_cast<size_t>(n));
  ok = ok && n == 0;
  ::close(fd);
  if (!ok) return Status::Internal(Errno("cannot read", path));
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EvpPkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  char group[64] = {0};
  if (!key || !EVP_PKEY_is_a(key.get(), "EC") ||
      EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, nullptr) !=
          1 ||
      std::string_view(group) != "prime256v1")
    return Status::Internal("dev issuer key " + path.string() + " is not an EC P-256 private key in PEM");
  return key;
}

// "0192:<orgnr>" or "<orgnr>" → "0192:<orgnr>" with a valid check digit.
Result<std::string> OrgId(const std::string& s, const char* what) {
  std::string orgnr = s.rfind("0192:", 0) == 0 ? s.substr(5) : s;
  if (std::optional<IdProblem> p = OrganizationNumberProblem(orgnr))
    return Status::Invalid(std::string(what) + " '" + s +
                           "' is not a valid organisation number: " + p->reason);
  return "0192:" + orgnr;
}

json Org(const std::string& id) { return json{{"authority", "iso6523-actorid-upis"}, {"ID", id}}; }

}  // namespace

Result<DevIssuer> DevIssuer::Open(const std::filesystem::path& data_dir, std::string issuer) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::Internal("cannot create " + data_dir.string() + ": " + ec.message());
  DevIssuer out;
  out.issuer_ = std::move(issuer);
  out.key_path_ = data_dir / kDevIssuerKeyFile;
  if (!std::filesystem::exists(out.key_path_, ec)) KILDE_RETURN_IF_ERROR(CreateKeyFile(out.key_path_));
  KILDE_ASSIGN_OR_RETURN(out.key_, LoadKeyFile(out.key_path_));
  KILDE_ASSIGN_OR_RETURN(out.kid_, JwkThumbprint(out.key_.get()));
  KILDE_ASSIGN_OR_RETURN(std::string pub, PublicJwkJson(out.key_.get()));
  json jwk = json::parse(pub, nullptr, false);
  jwk["kid"] = out.kid_;
  jwk["use"] = "sig";
  jwk["alg"] = "ES256";
  out.jwks_ = json{{"keys", json::array({jwk})}}.dump();
  return out;
}

Result<std::string> DevIssuer::IssueToken(const DevTokenRequest& r, int64_t now_unix) const {
  if (r.ttl_seconds <= 0) return Status::Invalid("ttl must be positive");
  if (r.client_id.empty()) return Status::Invalid("client_id must not be empty");
  std::string scope;
  for (const std::string& s : r.scopes) {
    if (s.empty() || s.find_first_of(" \t\r\n") != std::string::npos)
      return Status::Invalid("scope '" + s + "' must be one word");
    scope += (scope.empty() ? "" : " ") + s;
  }
  json claims = {{"iss", issuer_},
                 {"client_id", r.client_id},
                 {"client_amr", "kilde_dev"},
                 {"scope", scope},
                 {"token_type", "Bearer"},
                 {"iat", now_unix},
                 {"exp", now_unix + r.ttl_seconds},
                 {"jti", RandomHex(16)}};
  if (!r.consumer.empty()) {
    KILDE_ASSIGN_OR_RETURN(std::string id, OrgId(r.consumer, "consumer"));
    claims["consumer"] = Org(id);
  } else if (!r.pid) {
    return Status::Invalid("a consumer organisation is required (or a pid for a citizen token)");
  }
  if (r.supplier) {
    KILDE_ASSIGN_OR_RETURN(std::string id, OrgId(*r.supplier, "supplier"));
    claims["supplier"] = Org(id);
  }
  if (r.pid) {
    if (!IsValidFodselsnummer(*r.pid)) return Status::Invalid("pid is not a valid fødselsnummer");
    claims["pid"] = *r.pid;
  }
  if (r.audience) claims["aud"] = *r.audience;
  json header = {{"alg", "ES256"}, {"kid", kid_}, {"typ", "JWT"}};
  return SignCompact(header.dump(), claims.dump(), JwsAlg::kEs256, key_.get());
}

std::string DevIssuer::JwksJson() const { return jwks_; }

TrustedIssuer DevIssuer::Trusted(std::optional<std::string> audience) const {
  Result<KeySet> keys = ParseJwks(jwks_);
  assert(keys.ok() && "the dev issuer's own JWKS parses");
  return TrustedIssuer{issuer_, std::make_shared<const KeySet>(std::move(keys).value()), std::move(audience)};
}

}  // namespace kilde::auth
