#include "store/sqlite/audit_journal_frame.h"

#include <cstdint>

#include "base/sha256.h"

namespace kilde::store::sqlite {
namespace {

constexpr std::string_view kMagic = "KAJ1";
constexpr size_t kDigestSize = 64;  // hex SHA-256
constexpr size_t kHeaderSize = kJournalFrameHeaderSize;
static_assert(kHeaderSize == kMagic.size() + 4 + kDigestSize);

void PutU32(uint32_t v, std::string& out) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutI64(int64_t v, std::string& out) {
  const auto u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}
void PutText(std::string_view s, std::string& out) {
  PutU32(static_cast<uint32_t>(s.size()), out);
  out.append(s);
}

// Reads the body front to back; every read fails (and stays failed) past the end.
class Reader {
 public:
  explicit Reader(std::string_view data) : rest_(data) {}
  bool ok() const { return ok_; }
  bool done() const { return rest_.empty(); }
  uint64_t Unsigned(int bytes) {
    if (!Need(static_cast<size_t>(bytes))) return 0;
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<unsigned char>(rest_[i])} << (8 * i);
    rest_.remove_prefix(static_cast<size_t>(bytes));
    return v;
  }
  uint32_t U32() { return static_cast<uint32_t>(Unsigned(4)); }
  int64_t I64() { return static_cast<int64_t>(Unsigned(8)); }
  std::string Text() {
    const uint32_t n = U32();
    if (!Need(n)) return {};
    std::string s(rest_.substr(0, n));
    rest_.remove_prefix(n);
    return s;
  }

 private:
  bool Need(size_t n) {
    if (ok_ && rest_.size() >= n) return true;
    ok_ = false;
    return false;
  }
  std::string_view rest_;
  bool ok_ = true;
};

}  // namespace

void AppendJournalFrame(const std::vector<SealedAuditEntry>& entries, std::string& out) {
  std::string body;
  PutU32(static_cast<uint32_t>(entries.size()), body);
  for (const SealedAuditEntry& x : entries) {
    const AuditEntry& e = x.entry;
    PutI64(e.seq, body);
    for (const std::string* s : {&e.time, &e.request_id, &e.decision, &e.consumer, &e.client_id, &e.supplier,
                                 &e.product, &e.edition, &e.grant, &e.purpose, &e.legal_basis, &e.query})
      PutText(*s, body);
    PutI64(e.rows, body);
    PutU32(static_cast<uint32_t>(e.subjects.size()), body);
    for (const std::string& s : e.subjects) PutText(s, body);
    PutText(x.prev_hash, body);
    PutText(x.hash, body);
  }
  out.append(kMagic);
  PutU32(static_cast<uint32_t>(body.size()), out);
  out.append(Sha256Hex(body));
  out.append(body);
}

std::optional<size_t> JournalFrameSize(std::string_view header) {
  if (header.size() < kHeaderSize || header.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  Reader r(header.substr(kMagic.size(), 4));
  return kHeaderSize + r.U32();
}

std::optional<JournalFrame> DecodeJournalFrame(std::string_view data) {
  const std::optional<size_t> size = JournalFrameSize(data);
  if (!size || *size > data.size()) return std::nullopt;
  const size_t body_size = *size - kHeaderSize;
  const std::string_view digest = data.substr(kMagic.size() + 4, kDigestSize);
  const std::string_view body = data.substr(kHeaderSize, body_size);
  if (Sha256Hex(body) != digest) return std::nullopt;

  Reader r(body);
  const uint32_t count = r.U32();
  if (!r.ok() || count == 0) return std::nullopt;
  JournalFrame frame;
  frame.size = kHeaderSize + body_size;
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    SealedAuditEntry x;
    AuditEntry& e = x.entry;
    e.seq = r.I64();
    for (std::string* s : {&e.time, &e.request_id, &e.decision, &e.consumer, &e.client_id, &e.supplier,
                           &e.product, &e.edition, &e.grant, &e.purpose, &e.legal_basis, &e.query})
      *s = r.Text();
    e.rows = r.I64();
    const uint32_t subjects = r.U32();
    for (uint32_t k = 0; k < subjects && r.ok(); ++k) e.subjects.push_back(r.Text());
    x.prev_hash = r.Text();
    x.hash = r.Text();
    if (!frame.entries.empty() && e.seq != frame.entries.back().entry.seq + 1) return std::nullopt;
    frame.entries.push_back(std::move(x));
  }
  if (!r.ok() || !r.done()) return std::nullopt;
  return frame;
}

}  // namespace kilde::store::sqlite
