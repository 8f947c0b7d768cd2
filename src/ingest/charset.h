// Character sets of uploaded files and a streaming decoder to UTF-8.
//
// The ingest pipeline is push-style: the HTTP layer feeds body chunks into a
// Decoder, which appends UTF-8 text that a CsvReader / JsonArrayReader /
// NdjsonReader consumes. Nothing here knows about HTTP or storage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace kilde::ingest {

enum class Charset {
  kUtf8,    // validated strictly; a leading BOM is stripped
  kLatin1,  // ISO-8859-1: byte b is code point U+00bb (0x80-0x9F are C1 controls)
  kWindows1252,  // like Latin-1, but 0x80-0x9F are €‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ
};

// The charset named by a Content-Type `charset` parameter or a CLI flag, case-insensitive:
// utf-8 / utf8; iso-8859-1 / iso_8859-1 / latin1 / l1; windows-1252 / cp1252.
// nullopt for anything else (the caller answers 415 or 400).
std::optional<Charset> CharsetFromName(std::string_view name);

// The canonical (IANA) name: "utf-8", "iso-8859-1", "windows-1252".
std::string_view CharsetName(Charset charset);

// Streaming transcoder from `charset` to UTF-8.
//
// Feed() may be called with chunks split anywhere, including inside a
// multi-byte UTF-8 sequence or a BOM: incomplete sequences are held back
// (at most 3 bytes) and completed by the next chunk. Memory does not grow
// with the input; the caller owns the output string and decides when to
// clear it.
//
// Errors (kInvalidArgument) name the absolute byte offset, counted from 0 at
// the first byte of the input (BOM included). Exceeding `max_bytes` is
// kTooLarge. After an error the decoder is spent: every later call returns the
// same Status.
//
// Not thread safe; one decoder per input stream.
class Decoder {
 public:
  // max_bytes: limit on the total input size; 0 = no limit.
  explicit Decoder(Charset charset = Charset::kUtf8, uint64_t max_bytes = 0);

  // Appends the UTF-8 text of `bytes` to *out_utf8 (only complete characters).
  // On error *out_utf8 is left as it was.
  Status Feed(std::string_view bytes, std::string* out_utf8);

  // Ends the input: fails if a UTF-8 sequence is incomplete. Appends nothing
  // today (kept in the signature so a future charset with state can flush).
  Status Finish(std::string* out_utf8);

  Charset charset() const { return charset_; }
  // Input bytes accepted so far (including up to 3 held-back bytes).
  uint64_t bytes_consumed() const { return consumed_; }

 private:
  Status FeedUtf8(std::string_view bytes, std::string* out);
  Status FeedSingleByte(std::string_view bytes, std::string* out);
  Status Fail(Status status);

  Charset charset_;
  uint64_t max_bytes_;
  uint64_t consumed_ = 0;
  // Held-back prefix of an incomplete UTF-8 sequence and its absolute offset.
  unsigned char pending_[4] = {};
  size_t pending_len_ = 0;
  uint64_t pending_offset_ = 0;
  Status error_;
};

}  // namespace kilde::ingest
