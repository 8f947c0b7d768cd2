#include "ingest/csv_reader.h"

#include <utility>

namespace kilde::ingest {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr char kCandidates[3] = {',', ';', '\t'};

}  // namespace

CsvReader::CsvReader(CsvOptions options) : options_(options), delimiter_(0) {
  assert(options_.delimiter != '"' && options_.delimiter != '\r' && options_.delimiter != '\n');
  if (options_.delimiter != 0) SetDelimiter(options_.delimiter);
}

void CsvReader::SetDelimiter(char delimiter) {
  delimiter_ = delimiter;
  special_[static_cast<unsigned char>(delimiter)] = true;
  special_[static_cast<unsigned char>('\r')] = true;
  special_[static_cast<unsigned char>('\n')] = true;
}

Status CsvReader::Feed(std::string_view utf8, const RecordFn& fn) {
  if (!error_.ok()) return error_;
  Status st = in_head_ ? FeedHead(utf8, /*at_end=*/false, fn) : Parse(utf8, fn);
  if (!st.ok()) error_ = st;
  return st;
}

Status CsvReader::Finish(const RecordFn& fn) {
  if (!error_.ok()) return error_;
  Status st = [&]() -> Status {
    if (in_head_) KILDE_RETURN_IF_ERROR(FeedHead({}, /*at_end=*/true, fn));
    switch (state_) {
      case State::kQuoted:
        return Error("unterminated_quote",
                     "unterminated quoted field: the quote opened on line " + std::to_string(quote_line_) +
                         " is not closed at the end of the input",
                     quote_line_, ends_.size() + 1);
      case State::kUnquoted:
      case State::kQuoteInQuoted:
        if (!EndField()) return LimitError();
        return EmitRecord(fn);
      case State::kFieldStart:
        if (!has_content_) return Status::Ok();
        if (!EndField()) return LimitError();
        return EmitRecord(fn);
      case State::kAfterCr:
        return Status::Ok();
    }
    return Status::Ok();
  }();
  if (!st.ok()) error_ = st;
  return st;
}

// Buffers the start of the input until the BOM question is settled and, when
// detecting, the first non-empty line is complete; then parses the buffer.
Status CsvReader::FeedHead(std::string_view utf8, bool at_end, const RecordFn& fn) {
  head_.append(utf8);
  if (!bom_checked_) {
    if (!at_end && head_.size() < kBom.size() && kBom.starts_with(head_)) return Status::Ok();
    if (head_.starts_with(kBom)) head_.erase(0, kBom.size());
    bom_checked_ = true;
  }
  if (delimiter_ == 0 && !DetectDelimiter(at_end)) {
    if (head_.size() > options_.max_record_bytes) {
      return Error("record_too_long",
                   "the first line is longer than the limit of " + std::to_string(options_.max_record_bytes) +
                       " bytes",
                   1, 1);
    }
    return Status::Ok();
  }
  in_head_ = false;
  std::string head = std::move(head_);
  head_ = std::string();
  return Parse(head, fn);
}

// Scans the new part of head_; true once the delimiter is chosen.
bool CsvReader::DetectDelimiter(bool at_end) {
  bool line_done = false;
  for (; head_scan_ < head_.size() && !line_done; ++head_scan_) {
    const char c = head_[head_scan_];
    if (head_in_quotes_) {
      if (c == '"') head_in_quotes_ = false;  // `""` re-enters at once
      continue;
    }
    if (c == '\r' || c == '\n') {
      line_done = head_content_;  // skip empty lines before the header
      continue;
    }
    head_content_ = true;
    if (c == '"') head_in_quotes_ = true;
    for (int k = 0; k < 3; ++k) {
      if (c == kCandidates[k]) ++head_counts_[k];
    }
  }
  if (!line_done && !at_end) return false;
  int best = 0;
  for (int k = 1; k < 3; ++k) {
    if (head_counts_[k] > head_counts_[best]) best = k;
  }
  SetDelimiter(kCandidates[best]);
  return true;
}

void CsvReader::StartContent() {
  if (!has_content_) {
    has_content_ = true;
    record_line_ = line_;
  }
}

Status CsvReader::Parse(std::string_view text, const RecordFn& fn) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const char delim = delimiter_;
  while (p < end) {
    switch (state_) {
      case State::kFieldStart: {
        const char c = *p;
        if (c == '"') {
          StartContent();
          quote_line_ = line_;
          quoted_cr_ = false;
          state_ = State::kQuoted;
          ++p;
        } else if (c == delim) {
          StartContent();
          if (!EndField()) return LimitError();
          ++p;
        } else if (c == '\n' || c == '\r') {
          if (has_content_) {  // after a trailing delimiter: the last field is empty
            if (!EndField()) return LimitError();
            KILDE_RETURN_IF_ERROR(EmitRecord(fn));
          }  // else an empty line: skipped
          ++line_;
          state_ = c == '\r' ? State::kAfterCr : State::kFieldStart;
          ++p;
        } else {
          StartContent();
          state_ = State::kUnquoted;
        }
        break;
      }
      case State::kUnquoted: {
        const char* s = p;
        while (p < end && !special_[static_cast<unsigned char>(*p)]) ++p;
        if (!Append(s, static_cast<size_t>(p - s))) return LimitError();
        if (p == end) break;
        const char c = *p++;
        if (!EndField()) return LimitError();
        if (c == delim) {
          state_ = State::kFieldStart;
        } else {
          KILDE_RETURN_IF_ERROR(EmitRecord(fn));
          ++line_;
          state_ = c == '\r' ? State::kAfterCr : State::kFieldStart;
        }
        break;
      }
      case State::kQuoted: {
        const char* s = p;
        while (p < end && *p != '"' && *p != '\r' && *p != '\n') ++p;
        if (p > s) {
          quoted_cr_ = false;
          if (!Append(s, static_cast<size_t>(p - s))) return LimitError();
        }
        if (p == end) break;
        const char c = *p++;
        if (c == '"') {
          state_ = State::kQuoteInQuoted;
        } else {  // a line break inside quotes is data; CRLF counts as one line
          if (!Append(&c, 1)) return LimitError();
          if (c == '\r' || !quoted_cr_) ++line_;
          quoted_cr_ = c == '\r';
        }
        break;
      }
      case State::kQuoteInQuoted: {
        const char c = *p;
        if (c == '"') {  // `""`
          if (!Append(p, 1)) return LimitError();
          quoted_cr_ = false;
          state_ = State::kQuoted;
          ++p;
        } else if (c == delim) {
          if (!EndField()) return LimitError();
          state_ = State::kFieldStart;
          ++p;
        } else if (c == '\n' || c == '\r') {
          if (!EndField()) return LimitError();
          KILDE_RETURN_IF_ERROR(EmitRecord(fn));
          ++line_;
          state_ = c == '\r' ? State::kAfterCr : State::kFieldStart;
          ++p;
        } else {  // lenient: `"ab"c` → `abc`
          state_ = State::kUnquoted;
        }
        break;
      }
      case State::kAfterCr:
        if (*p == '\n') ++p;
        state_ = State::kFieldStart;
        break;
    }
  }
  return Status::Ok();
}

Status CsvReader::LimitError() {
  if (ends_.size() > options_.max_fields) {
    return Error("too_many_fields",
                 "record has more than the limit of " + std::to_string(options_.max_fields) + " fields",
                 record_line_, ends_.size());
  }
  if (buf_.size() - field_start_ > options_.max_field_bytes) {
    return Error("field_too_long",
                 "field is longer than the limit of " + std::to_string(options_.max_field_bytes) + " bytes",
                 record_line_, ends_.size() + 1);
  }
  return Error("record_too_long",
               "record is longer than the limit of " + std::to_string(options_.max_record_bytes) + " bytes",
               record_line_, ends_.size() + 1);
}

Status CsvReader::EmitRecord(const RecordFn& fn) {
  record_.fields.clear();  // keeps its capacity
  size_t begin = 0;
  for (size_t e : ends_) {
    record_.fields.emplace_back(buf_.data() + begin, e - begin);
    begin = e;
  }
  record_.line = record_line_;
  ++records_;
  Status st = fn(record_);
  buf_.clear();
  ends_.clear();
  field_start_ = 0;
  has_content_ = false;
  return st;
}

Status CsvReader::Error(std::string_view problem, std::string reason, uint64_t line, size_t column) {
  std::string where = "line " + std::to_string(line) + ", column " + std::to_string(column);
  std::string message = where + ": " + reason;
  return Status::Invalid(std::move(message), {FieldProblem{std::move(where), std::string(problem), reason}});
}

}  // namespace kilde::ingest
