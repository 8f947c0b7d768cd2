#include "ingest/charset.h"

#include <array>
#include <cstring>

namespace kilde::ingest {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"')) s.remove_suffix(1);
  return s;
}

// Length of the valid UTF-8 sequence at p (1-4); 0 if invalid; -1 if the
// `avail` bytes are a valid but incomplete prefix. Unicode 15, Table 3-7:
// rejects overlongs (C0, C1, E0 80-9F, F0 80-8F), surrogates (ED A0-BF) and
// code points above U+10FFFF (F4 90+, F5-FF).
int CheckSequence(const unsigned char* p, size_t avail) {
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  int len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (avail < 2) return -1;
  if (p[1] < lo || p[1] > hi) return 0;
  for (int k = 2; k < len; ++k) {
    if (avail <= static_cast<size_t>(k)) return -1;
    if ((p[k] & 0xC0) != 0x80) return 0;
  }
  return len;
}

bool IsBom(const unsigned char* p) { return p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF; }

// UTF-8 encoding of one byte of a single-byte charset; len 0 = undefined byte.
struct Encoded {
  unsigned char len = 0;
  unsigned char bytes[3] = {};
};
using Table = std::array<Encoded, 256>;

// Windows-1252 0x80-0x9F (0 = undefined: 0x81, 0x8D, 0x8F, 0x90, 0x9D).
constexpr char16_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

constexpr Table MakeTable(bool windows1252) {
  Table t{};
  for (unsigned b = 0; b < 256; ++b) {
    unsigned cp = b;
    if (windows1252 && b >= 0x80 && b <= 0x9F) cp = kCp1252High[b - 0x80];
    Encoded& e = t[b];
    if (b != 0 && cp == 0) continue;  // undefined
    if (cp < 0x80) {
      e.len = 1;
      e.bytes[0] = static_cast<unsigned char>(cp);
    } else if (cp < 0x800) {
      e.len = 2;
      e.bytes[0] = static_cast<unsigned char>(0xC0 | (cp >> 6));
      e.bytes[1] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    } else {
      e.len = 3;
      e.bytes[0] = static_cast<unsigned char>(0xE0 | (cp >> 12));
      e.bytes[1] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
      e.bytes[2] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    }
  }
  return t;
}

constexpr Table kLatin1Table = MakeTable(false);
constexpr Table kCp1252Table = MakeTable(true);

Status InvalidUtf8(uint64_t offset) {
  return Status::Invalid("invalid UTF-8 at byte " + std::to_string(offset) +
                         "; if the file is Windows-1252 or ISO-8859-1, send it with charset=windows-1252 "
                         "(e.g. Content-Type: text/csv; charset=windows-1252)");
}

std::string Hex(unsigned char b) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 0xF];
}

}  // namespace

std::optional<Charset> CharsetFromName(std::string_view name) {
  name = Trim(name);
  for (std::string_view n : {"utf-8", "utf8"}) {
    if (EqualsIgnoreCase(name, n)) return Charset::kUtf8;
  }
  for (std::string_view n : {"iso-8859-1", "iso_8859-1", "iso8859-1", "latin1", "latin-1", "l1"}) {
    if (EqualsIgnoreCase(name, n)) return Charset::kLatin1;
  }
  for (std::string_view n : {"windows-1252", "cp1252"}) {
    if (EqualsIgnoreCase(name, n)) return Charset::kWindows1252;
  }
  return std::nullopt;
}

std::string_view CharsetName(Charset charset) {
  switch (charset) {
    case Charset::kUtf8:
      return "utf-8";
    case Charset::kLatin1:
      return "iso-8859-1";
    case Charset::kWindows1252:
      return "windows-1252";
  }
  return "utf-8";
}

Decoder::Decoder(Charset charset, uint64_t max_bytes) : charset_(charset), max_bytes_(max_bytes) {}

Status Decoder::Fail(Status status) {
  error_ = std::move(status);
  return error_;
}

Status Decoder::Feed(std::string_view bytes, std::string* out_utf8) {
  if (!error_.ok()) return error_;
  if (max_bytes_ != 0 && bytes.size() > max_bytes_ - consumed_) {
    return Fail(Status(Code::kTooLarge,
                       "the body is larger than the limit of " + std::to_string(max_bytes_) + " bytes"));
  }
  if (charset_ == Charset::kUtf8) return FeedUtf8(bytes, out_utf8);
  return FeedSingleByte(bytes, out_utf8);
}

Status Decoder::FeedUtf8(std::string_view bytes, std::string* out) {
  const uint64_t base = consumed_;  // absolute offset of bytes[0]
  consumed_ += bytes.size();
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;

  // Complete a sequence held back from the previous chunk.
  unsigned char done[4];
  size_t done_len = 0;
  if (pending_len_ > 0) {
    unsigned char tmp[4];
    std::memcpy(tmp, pending_, pending_len_);
    const size_t take = std::min(n, 4 - pending_len_);
    std::memcpy(tmp + pending_len_, p, take);
    const int r = CheckSequence(tmp, pending_len_ + take);
    if (r == 0) return Fail(InvalidUtf8(pending_offset_));
    if (r < 0) {  // still incomplete: all of this chunk belongs to the sequence
      std::memcpy(pending_ + pending_len_, p, take);
      pending_len_ += take;
      return Status::Ok();
    }
    i = static_cast<size_t>(r) - pending_len_;
    if (!(pending_offset_ == 0 && r == 3 && IsBom(tmp))) {
      std::memcpy(done, tmp, static_cast<size_t>(r));
      done_len = static_cast<size_t>(r);
    }
    pending_len_ = 0;
  } else if (base == 0 && n >= 3 && IsBom(p)) {
    i = 3;
  }

  const size_t run_start = i;
  size_t run_end = n;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & kHighBits) break;
      i += 8;
    }
    while (i < n && p[i] < 0x80) ++i;
    if (i >= n) break;
    const int r = CheckSequence(p + i, n - i);
    if (r > 0) {
      i += static_cast<size_t>(r);
      continue;
    }
    if (r == 0) return Fail(InvalidUtf8(base + i));
    // Incomplete at the end of the chunk (a BOM prefix at offset 0 lands here too).
    pending_len_ = n - i;
    std::memcpy(pending_, p + i, pending_len_);
    pending_offset_ = base + i;
    run_end = i;
    break;
  }
  out->append(reinterpret_cast<const char*>(done), done_len);
  out->append(bytes.data() + run_start, run_end - run_start);
  return Status::Ok();
}

Status Decoder::FeedSingleByte(std::string_view bytes, std::string* out) {
  const uint64_t base = consumed_;
  consumed_ += bytes.size();
  const Table& table = charset_ == Charset::kLatin1 ? kLatin1Table : kCp1252Table;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  const size_t old_size = out->size();
  out->resize(old_size + 3 * n);  // worst case: every byte becomes 3 UTF-8 bytes
  auto* w = reinterpret_cast<unsigned char*>(out->data()) + old_size;
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & kHighBits) == 0) {
        std::memcpy(w, p + i, 8);
        w += 8;
        i += 8;
        continue;
      }
    }
    const Encoded& e = table[p[i]];
    if (e.len == 0) {
      out->resize(old_size);
      return Fail(Status::Invalid("byte " + Hex(p[i]) + " at byte " + std::to_string(base + i) +
                                  " is not defined in Windows-1252; if the file is ISO-8859-1, send it "
                                  "with charset=iso-8859-1"));
    }
    std::memcpy(w, e.bytes, 3);  // fixed-size copy; only e.len bytes count
    w += e.len;
    ++i;
  }
  out->resize(static_cast<size_t>(w - reinterpret_cast<unsigned char*>(out->data())));
  return Status::Ok();
}

Status Decoder::Finish(std::string* /*out_utf8*/) {
  if (!error_.ok()) return error_;
  if (pending_len_ > 0) {
    // A lone BOM prefix at offset 0 that never completed is just as invalid.
    return Fail(InvalidUtf8(pending_offset_));
  }
  return Status::Ok();
}

}  // namespace kilde::ingest
