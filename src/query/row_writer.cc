#include "query/row_writer.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace kilde::query {
namespace {

using store::Cell;
using store::CellKind;

void AppendInt(int64_t v, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Shortest round-trip form; false (nothing appended) for NaN / infinity.
bool AppendDouble(double v, std::string& out) {
  if (!std::isfinite(v)) return false;
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
  return true;
}

// A scalar as JSON (numbers, true/false, null, string).
void AppendJsonValue(const Cell& c, products::ColumnType type, std::string& out) {
  switch (c.kind) {
    case CellKind::kNull:
      out += "null";
      break;
    case CellKind::kInt:
      if (type == products::ColumnType::kBoolean) {
        out += c.i ? "true" : "false";
      } else {
        AppendInt(c.i, out);
      }
      break;
    case CellKind::kReal:
      if (!AppendDouble(c.d, out)) out += "null";
      break;
    case CellKind::kText:
      AppendJsonString(c.text, out);
      break;
  }
}

// One JSON object {"name":value,...}; `keys` are the pre-escaped "name": prefixes.
void AppendJsonObject(const std::vector<std::string>& keys, const std::vector<Cell>& cells,
                      const std::vector<products::ColumnType>& types, std::string& out) {
  out += '{';
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += keys[i];
    AppendJsonValue(cells[i], types[i], out);
  }
  out += '}';
}

std::vector<std::string> JsonKeys(const std::vector<std::string>& names) {
  std::vector<std::string> keys;
  for (const std::string& n : names) {
    std::string k;
    AppendJsonString(n, k);
    keys.push_back(k + ':');
  }
  return keys;
}

class JsonWriter : public RowWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(*out) {}
  std::string_view content_type() const override { return "application/json"; }
  void Begin(const std::vector<std::string>& names) override {
    keys_ = JsonKeys(names);
    out_ += "{\"items\":[";
  }
  void Row(const std::vector<Cell>& cells, const std::vector<products::ColumnType>& types) override {
    if (rows_++) out_ += ',';
    AppendJsonObject(keys_, cells, types, out_);
  }
  void End(std::optional<std::string> next_cursor, std::optional<int64_t> total) override {
    out_ += "],\"next_cursor\":";
    if (next_cursor) {
      AppendJsonString(*next_cursor, out_);
    } else {
      out_ += "null";
    }
    if (total) {
      out_ += ",\"total\":";
      AppendInt(*total, out_);
    }
    out_ += "}";
  }

 private:
  std::string& out_;
  std::vector<std::string> keys_;
  int64_t rows_ = 0;
};

// A bare JSON array of row objects: the whole-edition download, in the form uploads accept.
class JsonArrayWriter : public RowWriter {
 public:
  explicit JsonArrayWriter(std::string* out) : out_(*out) {}
  std::string_view content_type() const override { return "application/json"; }
  void Begin(const std::vector<std::string>& names) override {
    keys_ = JsonKeys(names);
    out_ += '[';
  }
  void Row(const std::vector<Cell>& cells, const std::vector<products::ColumnType>& types) override {
    if (rows_++) out_ += ',';
    AppendJsonObject(keys_, cells, types, out_);
  }
  void End(std::optional<std::string>, std::optional<int64_t>) override { out_ += "]\n"; }

 private:
  std::string& out_;
  std::vector<std::string> keys_;
  int64_t rows_ = 0;
};

class NdjsonWriter : public RowWriter {
 public:
  explicit NdjsonWriter(std::string* out) : out_(*out) {}
  std::string_view content_type() const override { return "application/x-ndjson"; }
  void Begin(const std::vector<std::string>& names) override { keys_ = JsonKeys(names); }
  void Row(const std::vector<Cell>& cells, const std::vector<products::ColumnType>& types) override {
    AppendJsonObject(keys_, cells, types, out_);
    out_ += '\n';
  }
  void End(std::optional<std::string>, std::optional<int64_t>) override {}

 private:
  std::string& out_;
  std::vector<std::string> keys_;
};

// RFC 4180 field: quoted when it contains , " CR or LF, or is empty (an empty quoted field is the
// empty string; an unquoted empty field is NULL).
void AppendCsvField(std::string_view s, std::string& out) {
  if (!s.empty() && s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

class CsvWriter : public RowWriter {
 public:
  explicit CsvWriter(std::string* out) : out_(*out) {}
  std::string_view content_type() const override { return "text/csv; charset=utf-8"; }
  void Begin(const std::vector<std::string>& names) override {
    for (size_t i = 0; i < names.size(); ++i) {
      if (i) out_ += ',';
      AppendCsvField(names[i], out_);
    }
    out_ += "\r\n";
  }
  void Row(const std::vector<Cell>& cells, const std::vector<products::ColumnType>& types) override {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out_ += ',';
      const Cell& c = cells[i];
      switch (c.kind) {
        case CellKind::kNull:
          break;
        case CellKind::kInt:
          if (types[i] == products::ColumnType::kBoolean) {
            out_ += c.i ? "true" : "false";
          } else {
            AppendInt(c.i, out_);
          }
          break;
        case CellKind::kReal:
          AppendDouble(c.d, out_);
          break;
        case CellKind::kText:
          AppendCsvField(c.text, out_);
          break;
      }
    }
    out_ += "\r\n";
  }
  void End(std::optional<std::string>, std::optional<int64_t>) override {}

 private:
  std::string& out_;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

void AppendJsonCell(const Cell& c, products::ColumnType type, std::string& out) {
  AppendJsonValue(c, type, out);
}

void AppendJsonRow(const std::vector<std::string>& names, const std::vector<Cell>& cells,
                   const std::vector<products::ColumnType>& types, std::string& out) {
  AppendJsonObject(JsonKeys(names), cells, types, out);
}

std::unique_ptr<RowWriter> MakeRowWriter(std::string_view format, std::string* out) {
  if (format == "json") return std::make_unique<JsonWriter>(out);
  if (format == "json_array") return std::make_unique<JsonArrayWriter>(out);
  if (format == "ndjson") return std::make_unique<NdjsonWriter>(out);
  if (format == "csv") return std::make_unique<CsvWriter>(out);
  return nullptr;
}

std::optional<std::string> ChooseFormat(std::string_view format, std::string_view accept) {
  if (!format.empty()) return std::string(format);
  if (Trim(accept).empty()) return "json";
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    std::string type(Trim(item.substr(0, item.find(';'))));
    for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (type == "application/json" || type == "*/*" || type == "application/*") return "json";
    if (type == "application/x-ndjson" || type == "application/ndjson") return "ndjson";
    if (type == "text/csv" || type == "text/*") return "csv";
  }
  return std::nullopt;
}

http::Params PagingHeaders(const std::optional<std::string>& next_cursor, std::optional<int64_t> total) {
  http::Params h;
  if (next_cursor) h.emplace_back("X-Next-Cursor", *next_cursor);
  if (total) h.emplace_back("X-Total-Count", std::to_string(*total));
  return h;
}

}  // namespace kilde::query
