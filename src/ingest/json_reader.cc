#include "ingest/json_reader.h"

#include <cstring>
#include <utility>

namespace kilde::ingest {
namespace {

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!IsWs(c)) return false;
  }
  return true;
}

Status Problem(std::string where, std::string_view problem, std::string reason) {
  std::string message = where + ": " + reason;
  return Status::Invalid(std::move(message),
                         {FieldProblem{std::move(where), std::string(problem), std::move(reason)}});
}

std::string Element(uint64_t index) { return "$[" + std::to_string(index) + "]"; }
std::string LineName(uint64_t line) { return "line " + std::to_string(line); }

// True if `text` nests `{`/`[` deeper than `max_depth` (strings skipped).
bool TooDeep(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false, escape = false;
  for (char c : text) {
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return true;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// Parses one element / line. On failure sets *pos (0-based position in `text`
// where the parser stopped) and *reason, and returns false.
bool ParseJson(std::string_view text, nlohmann::json* out, size_t* pos, std::string* reason) {
  try {
    *out = nlohmann::json::parse(text.begin(), text.end());
    return true;
  } catch (const nlohmann::json::parse_error& e) {
    *pos = e.byte > 0 ? std::min<size_t>(e.byte - 1, text.size()) : 0;
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error ..."
    const size_t colon = what.find(": ");
    *reason = colon == std::string::npos ? what : what.substr(colon + 2);
  } catch (const nlohmann::json::exception& e) {
    *pos = 0;
    *reason = e.what();
  }
  return false;
}

}  // namespace

// ---------------------------------------------------------------------------
// JsonArrayReader

JsonArrayReader::JsonArrayReader(JsonReaderOptions options) : options_(options) {}

Status JsonArrayReader::Feed(std::string_view utf8, const JsonFn& fn) {
  if (!error_.ok()) return error_;
  Status st = Scan(utf8, fn);
  if (!st.ok()) error_ = st;
  return st;
}

Status JsonArrayReader::Finish(const JsonFn& /*fn*/) {
  if (!error_.ok()) return error_;
  if (state_ == State::kDone) return Status::Ok();
  const std::string at = " at byte " + std::to_string(consumed_);
  if (state_ == State::kBeforeArray) {
    error_ = Problem("$", "not_an_array", "expected a JSON array of objects, found no data");
  } else {
    error_ = Problem(Element(index_), "truncated",
                     "unexpected end of input" + at + ": the array is not closed with ']'");
  }
  return error_;
}

Status JsonArrayReader::Scan(std::string_view text, const JsonFn& fn) {
  const uint64_t base = consumed_;  // absolute offset of text[0]
  consumed_ += text.size();
  const char* const data = text.data();
  const size_t n = text.size();
  size_t i = 0;
  size_t elem_begin = 0;  // in-chunk start of the part of the element not yet in elem_buf_
  while (i < n) {
    if (state_ != State::kInElement) {
      while (i < n && IsWs(data[i])) ++i;
      if (i == n) break;
      const char c = data[i];
      const std::string at = "byte " + std::to_string(base + i);
      if (state_ == State::kBeforeArray) {
        if (c != '[') {
          return Problem("$", "not_an_array",
                         "expected a JSON array of objects ('[') at " + at + ", found '" + c + "'");
        }
        state_ = State::kBeforeElement;
        ++i;
      } else if (state_ == State::kDone) {
        return Problem("$", "trailing_data", "unexpected data after the end of the array at " + at);
      } else if (c == ']') {
        if (after_comma_) {
          return Problem(Element(index_), "trailing_comma", "expected an element after ',' at " + at);
        }
        state_ = State::kDone;
        ++i;
      } else {
        state_ = State::kInElement;
        elem_offset_ = base + i;
        elem_begin = i;
        depth_ = 0;
        in_string_ = escape_ = false;
      }
      continue;
    }

    // Inside an element: find the `,` or `]` that ends it at depth 0.
    bool ended = false;
    while (i < n) {
      if (in_string_) {
        if (escape_) {
          escape_ = false;
          ++i;
          continue;
        }
        while (i < n && data[i] != '"' && data[i] != '\\') ++i;
        if (i == n) break;
        if (data[i] == '\\') {
          escape_ = true;
        } else {
          in_string_ = false;
        }
        ++i;
        continue;
      }
      const char c = data[i];
      if (c == '"') {
        in_string_ = true;
      } else if (c == '{' || c == '[') {
        if (++depth_ > options_.max_depth) {
          return Problem(Element(index_), "too_deep",
                         "nesting deeper than the limit of " + std::to_string(options_.max_depth) +
                             " at byte " + std::to_string(base + i));
        }
      } else if (c == '}' || c == ']') {
        if (depth_ == 0) {
          ended = true;
          break;
        }
        --depth_;
      } else if (c == ',' && depth_ == 0) {
        ended = true;
        break;
      }
      ++i;
    }
    if (!ended) {  // the element continues in the next chunk
      if (elem_buf_.size() + (n - elem_begin) > options_.max_element_bytes) {
        return Problem(
            Element(index_), "element_too_large",
            "element is larger than the limit of " + std::to_string(options_.max_element_bytes) + " bytes");
      }
      elem_buf_.append(data + elem_begin, n - elem_begin);
      break;
    }
    KILDE_RETURN_IF_ERROR(EndElement(std::string_view(data + elem_begin, i - elem_begin), fn));
    const char c = data[i];
    if (c == ',') {
      state_ = State::kBeforeElement;
      after_comma_ = true;
    } else if (c == ']') {
      state_ = State::kDone;
    } else {
      return Problem("$", "malformed_json", "unexpected '}' at byte " + std::to_string(base + i));
    }
    ++i;
  }
  return Status::Ok();
}

// `tail` is the part of the element in the current chunk; elem_buf_ holds the rest.
Status JsonArrayReader::EndElement(std::string_view tail, const JsonFn& fn) {
  std::string_view text = tail;
  if (!elem_buf_.empty()) {
    elem_buf_.append(tail);
    text = elem_buf_;
  }
  const std::string where = Element(index_);
  if (text.size() > options_.max_element_bytes) {
    return Problem(
        where, "element_too_large",
        "element is larger than the limit of " + std::to_string(options_.max_element_bytes) + " bytes");
  }
  if (IsBlank(text)) {
    return Problem(where, "malformed_json",
                   "expected an element at byte " + std::to_string(elem_offset_ + text.size()));
  }
  nlohmann::json obj;
  size_t pos = 0;
  std::string reason;
  if (!ParseJson(text, &obj, &pos, &reason)) {
    return Problem(where, "malformed_json",
                   "malformed JSON at byte " + std::to_string(elem_offset_ + pos) + ": " + reason);
  }
  if (!obj.is_object()) {
    return Problem(where, "not_an_object",
                   std::string("element is not a JSON object (it is ") + obj.type_name() + ")");
  }
  elem_buf_.clear();
  after_comma_ = false;
  const uint64_t index = index_++;
  return fn(obj, index);
}

// ---------------------------------------------------------------------------
// NdjsonReader

NdjsonReader::NdjsonReader(JsonReaderOptions options) : options_(options) {}

Status NdjsonReader::Feed(std::string_view utf8, const JsonFn& fn) {
  if (!error_.ok()) return error_;
  const uint64_t base = consumed_;
  consumed_ += utf8.size();
  const char* const data = utf8.data();
  const size_t n = utf8.size();
  size_t i = 0;
  while (i < n) {
    const void* nl = std::memchr(data + i, '\n', n - i);
    if (nl == nullptr) {  // the line continues in the next chunk (+1: a CR before the LF)
      if (line_buf_.size() + (n - i) > options_.max_element_bytes + 1) {
        error_ = Problem(
            LineName(line_), "line_too_long",
            "line is longer than the limit of " + std::to_string(options_.max_element_bytes) + " bytes");
        return error_;
      }
      line_buf_.append(data + i, n - i);
      break;
    }
    const size_t j = static_cast<size_t>(static_cast<const char*>(nl) - data);
    std::string_view line(data + i, j - i);
    if (!line_buf_.empty()) {
      line_buf_.append(line);
      line = line_buf_;
    }
    Status st = Line(line, fn);
    if (!st.ok()) {
      error_ = st;
      return st;
    }
    line_buf_.clear();
    ++line_;
    line_offset_ = base + j + 1;
    i = j + 1;
  }
  return Status::Ok();
}

Status NdjsonReader::Finish(const JsonFn& fn) {
  if (!error_.ok()) return error_;
  if (!line_buf_.empty()) {
    Status st = Line(line_buf_, fn);
    line_buf_.clear();
    if (!st.ok()) error_ = st;
    return st;
  }
  return Status::Ok();
}

Status NdjsonReader::Line(std::string_view line, const JsonFn& fn) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (IsBlank(line)) return Status::Ok();
  const std::string where = LineName(line_);
  if (line.size() > options_.max_element_bytes) {
    return Problem(
        where, "line_too_long",
        "line is longer than the limit of " + std::to_string(options_.max_element_bytes) + " bytes");
  }
  if (TooDeep(line, options_.max_depth)) {
    return Problem(where, "too_deep",
                   "nesting deeper than the limit of " + std::to_string(options_.max_depth));
  }
  nlohmann::json obj;
  size_t pos = 0;
  std::string reason;
  if (!ParseJson(line, &obj, &pos, &reason)) {
    return Problem(where, "malformed_json",
                   "malformed JSON at column " + std::to_string(pos + 1) + " (byte " +
                       std::to_string(line_offset_ + pos) + "): " + reason);
  }
  if (!obj.is_object()) {
    return Problem(where, "not_an_object",
                   std::string("line is not a JSON object (it is ") + obj.type_name() + ")");
  }
  ++objects_;
  return fn(obj, line_);
}

}  // namespace kilde::ingest
