// Streaming RFC 4180 CSV parser over UTF-8 text (push style).
//
// Dialect (RFC 4180 plus what real Norwegian statistics files need):
//  - delimiter `,`, `;` or `\t`, or detected from the header line (see CsvOptions);
//  - fields may be quoted with `"`; inside quotes `""` is one quote and the
//    delimiter, CR and LF are data;
//  - records end at LF, CRLF or a lone CR; the last record may lack a line break;
//  - empty lines (nothing but a line break) are skipped, they are not records
//    with one empty field; a line holding only `""` is a record with one empty field;
//  - lenient: a `"` inside an unquoted field is kept literally (`5"` → `5"`), and
//    text after a closing quote is appended (`"ab"c` → `abc`), as Excel and
//    Python's csv module do;
//  - a leading UTF-8 BOM is skipped (normally the Decoder has removed it already);
//  - an unterminated quoted field at the end of the input is an error.
// The reader knows no schema: records may have any number of fields.
//
// Line numbers are physical lines, 1-based; a quoted field spanning lines
// advances them, so `Record::line` is where the record starts in the file.
// Errors are kInvalidArgument with "line L, column C: reason" (C is the 1-based
// field number) and one FieldProblem {"line L, column C", problem code, reason}.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace kilde::ingest {

struct CsvOptions {
  // Any byte but `"`, CR and LF (normally ',', ';' or '\t'); 0 = detect from the first non-empty line: the
  // most frequent of ',', ';' and '\t' outside quotes; ties (and none at all) prefer ',' then ';'.
  char delimiter = 0;
  // Limit on one field after unquoting; a longer field is an error.
  size_t max_field_bytes = size_t{1} << 20;
  // Limit on one record (all fields after unquoting); bounds memory.
  size_t max_record_bytes = size_t{16} << 20;
  // Limit on the number of fields in one record; bounds memory.
  size_t max_fields = 16384;
};

// One record. `fields` view memory owned by the reader: valid only during the
// callback; copy what must outlive it.
struct Record {
  std::vector<std::string_view> fields;
  uint64_t line = 0;  // physical line where the record starts, 1-based
};

// Receives each record in order. A non-OK Status stops parsing; Feed/Finish
// return that Status unchanged.
using RecordFn = std::function<Status(const Record&)>;

// Memory: only the current record is buffered (plus, while detecting the
// delimiter, the first line). Buffers are reused between records, so steady
// state parsing does not allocate. After an error (including one returned by
// the callback) the reader is spent and every later call returns that error.
// Not thread safe; one reader per input stream.
class CsvReader {
 public:
  explicit CsvReader(CsvOptions options = {});

  // Parses `utf8` (any split: chunk boundaries may fall anywhere, even inside
  // a multi-byte character) and calls `fn` for every record completed by it.
  Status Feed(std::string_view utf8, const RecordFn& fn);
  // Ends the input: emits the last record if it lacks a line break; fails on
  // an unterminated quoted field.
  Status Finish(const RecordFn& fn);

  // The delimiter in use; 0 while it is still being detected.
  char delimiter() const { return delimiter_; }
  // Records delivered so far.
  uint64_t records() const { return records_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterCr };

  Status Parse(std::string_view text, const RecordFn& fn);
  Status FeedHead(std::string_view utf8, bool at_end, const RecordFn& fn);
  bool DetectDelimiter(bool at_end);
  void SetDelimiter(char delimiter);
  // Fast paths: false when a limit is exceeded; LimitError() then says which.
  bool Append(const char* data, size_t size) {
    buf_.append(data, size);
    return buf_.size() - field_start_ <= options_.max_field_bytes && buf_.size() <= options_.max_record_bytes;
  }
  bool EndField() {
    ends_.push_back(buf_.size());
    field_start_ = buf_.size();
    return ends_.size() <= options_.max_fields;
  }
  Status LimitError();
  Status EmitRecord(const RecordFn& fn);
  void StartContent();
  Status Error(std::string_view problem, std::string reason, uint64_t line, size_t column);

  CsvOptions options_;
  char delimiter_;
  bool in_head_ = true;  // buffering the start of the input (BOM, delimiter detection)
  bool bom_checked_ = false;
  std::string head_;
  size_t head_scan_ = 0;  // detection: bytes of head_ already scanned
  bool head_in_quotes_ = false;
  size_t head_counts_[3] = {0, 0, 0};  // ',', ';', '\t'
  bool head_content_ = false;          // non-line-break seen on the current head line

  bool special_[256] = {};  // delimiter, CR, LF
  State state_ = State::kFieldStart;
  bool has_content_ = false;  // the current record has started
  bool quoted_cr_ = false;    // last byte inside quotes was CR (CRLF counts once)
  uint64_t line_ = 1;         // current physical line
  uint64_t record_line_ = 1;
  uint64_t quote_line_ = 1;  // where the open quoted field started
  uint64_t records_ = 0;

  std::string buf_;           // unquoted bytes of the current record's fields
  std::vector<size_t> ends_;  // end offset in buf_ of each completed field
  size_t field_start_ = 0;    // offset in buf_ of the current field
  Record record_;             // reused between records
  Status error_;
};

}  // namespace kilde::ingest
