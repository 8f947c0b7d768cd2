// Streaming readers for JSON uploads (push style): a top-level array of
// objects (application/json) and newline-delimited objects
// (application/x-ndjson). Each yields one parsed object at a time; only the
// current element / line is buffered, never the whole document.
//
// Input is UTF-8 text (run it through ingest::Decoder first; a BOM is not
// accepted here). Byte offsets in errors are absolute 0-based offsets into that
// text. Errors are kInvalidArgument with one FieldProblem naming the element
// (`$[3]`) or line (`line 5`); limits exceeded are kInvalidArgument too (the
// caller maps a whole-body limit to 413 itself).
//
// After an error (including one returned by the callback) a reader is spent
// and every later call returns that error. Not thread safe; one reader per
// input stream. nlohmann::json exceptions are caught inside and never escape.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace kilde::ingest {

struct JsonReaderOptions {
  // Limit on the text of one array element / one NDJSON line.
  size_t max_element_bytes = size_t{16} << 20;
  // Limit on nesting inside one element (the element object itself is depth 1).
  size_t max_depth = 128;
};

// Receives each object: `obj` is valid only during the call (move-from is not
// allowed; copy what must outlive it). `index_or_line` is the 0-based element
// index for JsonArrayReader and the 1-based physical line for NdjsonReader.
// A non-OK Status stops parsing and is returned unchanged by Feed/Finish.
using JsonFn = std::function<Status(const nlohmann::json& obj, uint64_t index_or_line)>;

// `[ {...}, {...} ]`. Elements are split by tracking depth, strings and
// escapes across Feed boundaries, then each is parsed by nlohmann::json; an
// element that is not an object is an error naming its index. Whitespace
// around the array is allowed; anything else around it is an error. An empty
// array yields nothing.
class JsonArrayReader {
 public:
  explicit JsonArrayReader(JsonReaderOptions options = {});
  Status Feed(std::string_view utf8, const JsonFn& fn);
  // Fails unless the array was closed.
  Status Finish(const JsonFn& fn);
  uint64_t elements() const { return index_; }

 private:
  enum class State { kBeforeArray, kBeforeElement, kInElement, kDone };

  Status Scan(std::string_view text, const JsonFn& fn);
  Status EndElement(std::string_view tail, const JsonFn& fn);

  JsonReaderOptions options_;
  State state_ = State::kBeforeArray;
  uint64_t consumed_ = 0;     // text bytes fed so far
  uint64_t elem_offset_ = 0;  // absolute offset where the current element starts
  uint64_t index_ = 0;        // index of the current element
  bool after_comma_ = false;  // kBeforeElement: `]` would be a trailing comma
  size_t depth_ = 0;          // open `{`/`[` inside the current element
  bool in_string_ = false;
  bool escape_ = false;
  std::string elem_buf_;  // start of an element that spans chunks
  Status error_;
};

// One JSON object per line (LF or CRLF). Blank lines (only whitespace) are
// skipped; a line that is not an object, or malformed, is an error naming the
// line (and the column, 1-based in bytes, for malformed JSON). The last line
// may lack a line break.
class NdjsonReader {
 public:
  explicit NdjsonReader(JsonReaderOptions options = {});
  Status Feed(std::string_view utf8, const JsonFn& fn);
  Status Finish(const JsonFn& fn);
  uint64_t objects() const { return objects_; }

 private:
  Status Line(std::string_view line, const JsonFn& fn);

  JsonReaderOptions options_;
  uint64_t consumed_ = 0;
  uint64_t line_ = 1;         // current physical line
  uint64_t line_offset_ = 0;  // absolute offset where it starts
  uint64_t objects_ = 0;
  std::string line_buf_;  // start of a line that spans chunks
  Status error_;
};

}  // namespace kilde::ingest
