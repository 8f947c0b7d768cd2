#include "products/ingest_job.h"

#include <optional>

#include "base/encoding.h"
#include "base/time.h"
#include "ingest/csv_reader.h"
#include "ingest/json_reader.h"
#include "products/infer.h"

namespace kilde::products {

struct IngestJobImpl {
  store::ProductStore* store = nullptr;
  ProductService::Current product;
  IngestOptions opts;
  ParseOptions parse;
  ParseOptions json_parse;  // JSON carries its own nulls: only an explicit null is null
  std::unique_ptr<store::EditionWriter> writer;
  ingest::Decoder decoder{ingest::Charset::kUtf8};
  std::optional<ingest::CsvReader> csv;
  std::optional<ingest::JsonArrayReader> json_array;
  std::optional<ingest::NdjsonReader> ndjson;
  std::string utf8;                               // decoder output, reused
  std::vector<std::optional<size_t>> header_map;  // CSV field → schema column
  bool header_done = false;
  // Per-row scratch, reused so that steady-state ingest does not allocate per row or cell.
  std::vector<Value> values;
  std::vector<store::Cell> cells;
  std::vector<std::pair<size_t, std::string>> errors;  // the row's problems: column, reason
  std::string error;                                   // ParseCellInto's reason
  std::string raw;                                     // JSON: a member's text
  std::vector<bool> present;                           // JSON: members seen
  std::string row_text;                                // the row's canonical bytes, hashed at once
  std::vector<FieldProblem> reported;
  int64_t bad_rows = 0;
  bool truncated = false;  // more problems than max_reported_errors
  QualityReport quality;
  nlohmann::json quarantined = nlohmann::json::array();
  Sha256 hash;
  explicit IngestJobImpl(const ProductService::Current& p) : product(p), quality(p.schema) {}
};

namespace {

// Sets `c` to `v` (reusing c.text's capacity).
void SetCell(const Value& v, store::Cell& c) {
  switch (v.kind) {
    case Value::Kind::kNull:
      c.kind = store::CellKind::kNull;
      return;
    case Value::Kind::kInt:
      c.kind = store::CellKind::kInt;
      c.i = v.i;
      return;
    case Value::Kind::kReal:
      c.kind = store::CellKind::kReal;
      c.d = v.d;
      return;
    case Value::Kind::kText:
      c.kind = store::CellKind::kText;
      c.text.assign(v.text);
      return;
  }
}

store::StorageType StorageOf(ColumnType t) {
  switch (StorageKind(t)) {
    case Value::Kind::kInt:
      return store::StorageType::kInteger;
    case Value::Kind::kReal:
      return store::StorageType::kReal;
    default:
      return store::StorageType::kText;
  }
}

}  // namespace

IngestJob::IngestJob(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IngestJob::~IngestJob() = default;

Result<std::unique_ptr<IngestJob>> IngestJob::Start(store::ProductStore* store,
                                                    const ProductService::Current& product,
                                                    IngestOptions opts) {
  auto impl = std::make_unique<IngestJobImpl>(product);
  impl->store = store;
  impl->opts = std::move(opts);
  impl->parse.decimal_comma = impl->opts.decimal_comma;
  impl->parse.null_markers = impl->opts.null_markers;
  impl->json_parse = impl->parse;
  impl->json_parse.null_markers.clear();
  impl->decoder = ingest::Decoder(impl->opts.charset);
  std::vector<store::StorageColumn> cols;
  for (const auto& c : product.schema.columns) cols.push_back({StorageOf(c.type), c.indexed || c.key, c.key});
  KILDE_ASSIGN_OR_RETURN(impl->writer, store->BeginEdition(product.row.id, cols));
  switch (impl->opts.format) {
    case InputFormat::kCsv: {
      ingest::CsvOptions co;
      co.delimiter = impl->opts.delimiter;
      impl->csv.emplace(co);
      break;
    }
    case InputFormat::kJson:
      impl->json_array.emplace();
      break;
    case InputFormat::kNdjson:
      impl->ndjson.emplace();
      break;
  }
  impl->values.resize(product.schema.columns.size());
  impl->cells.resize(product.schema.columns.size());
  return std::make_unique<IngestJob>(std::move(impl));
}

std::string IngestJob::Where(uint64_t pos) const {
  return (impl_->opts.format == InputFormat::kJson ? "element " : "line ") + std::to_string(pos);
}

Status IngestJob::AddRow(uint64_t pos) {
  Impl& m = *impl_;
  const auto& cols = m.product.schema.columns;
  if (m.errors.empty()) {
    for (size_t i = 0; i < cols.size(); ++i) SetCell(m.values[i], m.cells[i]);
    Status s = m.writer->Append(m.cells);
    if (s.code() == Code::kAlreadyExists) {
      for (size_t i = 0; i < cols.size(); ++i)
        if (cols[i].key) m.errors.emplace_back(i, "duplicate value in key column");
    } else if (!s.ok()) {
      return s;
    }
  }
  if (!m.errors.empty()) {
    ++m.bad_rows;
    m.quality.AddRejectedRow();
    const std::string where = Where(pos);
    for (const auto& [col, reason] : m.errors) {
      m.quality.AddInvalid(col);
      if (m.reported.size() < m.opts.max_reported_errors)
        m.reported.push_back({where + ", column " + cols[col].name, "invalid_value", reason});
      else
        m.truncated = true;
    }
    return Status::Ok();
  }
  m.quality.Add(m.values);
  // Canonical content: per value its canonical text, then 0x1d after a null or 0x1f after a value;
  // 0x1e after each row.
  m.row_text.clear();
  for (const Value& v : m.values) {
    AppendCanonicalText(v, &m.row_text);
    m.row_text.push_back(v.kind == Value::Kind::kNull ? '\x1d' : '\x1f');
  }
  m.row_text.push_back('\x1e');
  m.hash.Update(m.row_text);
  ++rows_;
  return Status::Ok();
}

Status IngestJob::OnCsv(const std::vector<std::string_view>& fields, uint64_t line) {
  Impl& m = *impl_;
  const auto& cols = m.product.schema.columns;
  if (!m.header_done) {
    m.header_done = true;
    std::vector<FieldProblem> problems;
    std::vector<bool> seen(cols.size(), false);
    for (size_t f = 0; f < fields.size(); ++f) {
      // A header matches a column by name, or by the name `kilde schema infer` derives from it.
      auto pos = m.product.schema.Find(TrimCell(fields[f]));
      if (!pos) pos = m.product.schema.Find(ColumnNameFromHeader(std::string(TrimCell(fields[f]))));
      if (!pos) {
        problems.push_back({"header column " + std::to_string(f + 1), "unknown_column",
                            "'" + std::string(fields[f]) + "' is not a column of the schema"});
      } else if (seen[*pos]) {
        problems.push_back({"header column " + std::to_string(f + 1), "conflict",
                            "'" + std::string(fields[f]) + "' appears twice"});
      } else {
        seen[*pos] = true;
      }
      m.header_map.push_back(pos);
    }
    for (size_t i = 0; i < cols.size(); ++i)
      if (!seen[i] && cols[i].required)
        problems.push_back({"header", "required", "required column '" + cols[i].name + "' is missing"});
    if (!problems.empty())
      return Status::Invalid("the header row does not match the schema of '" + m.product.row.id + "'",
                             std::move(problems));
    return Status::Ok();
  }
  if (fields.size() != m.header_map.size()) {
    ++m.bad_rows;
    m.quality.AddRejectedRow();
    if (m.reported.size() >= m.opts.max_reported_errors)
      m.truncated = true;
    else
      m.reported.push_back({Where(line), "wrong_field_count",
                            "expected " + std::to_string(m.header_map.size()) + " fields, found " +
                                std::to_string(fields.size())});
    return Status::Ok();
  }
  m.errors.clear();
  for (auto& v : m.values) v.kind = Value::Kind::kNull;  // columns missing from the file
  for (size_t f = 0; f < fields.size(); ++f) {
    const size_t col = *m.header_map[f];
    if (!ParseCellInto(cols[col], fields[f], m.parse, m.values[col], &m.error))
      m.errors.emplace_back(col, m.error);
  }
  return AddRow(line);
}

Status IngestJob::OnObject(const nlohmann::json& obj, uint64_t index) {
  Impl& m = *impl_;
  const auto& cols = m.product.schema.columns;
  m.errors.clear();
  for (auto& v : m.values) v.kind = Value::Kind::kNull;
  m.present.assign(cols.size(), false);
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    auto pos = m.product.schema.Find(it.key());
    if (!pos) {
      if (m.reported.size() >= m.opts.max_reported_errors)
        m.truncated = true;
      else
        m.reported.push_back(
            {Where(index), "unknown_column", "'" + it.key() + "' is not a column of the schema"});
      ++m.bad_rows;
      m.quality.AddRejectedRow();
      return Status::Ok();
    }
    m.present[*pos] = true;
    const auto& v = it.value();
    if (v.is_null()) {
      if (cols[*pos].required) m.errors.emplace_back(*pos, "required value is missing");
      continue;
    }
    std::string_view raw;
    if (v.is_string()) {
      raw = v.get_ref<const std::string&>();
    } else if (v.is_boolean()) {
      raw = v.get<bool>() ? "true" : "false";
    } else if (v.is_number()) {
      m.raw = v.dump();
      raw = m.raw;
    } else {
      m.errors.emplace_back(*pos, "expected a string, number, boolean or null");
      continue;
    }
    if (!ParseCellInto(cols[*pos], raw, m.json_parse, m.values[*pos], &m.error))
      m.errors.emplace_back(*pos, m.error);
  }
  for (size_t i = 0; i < cols.size(); ++i)
    if (!m.present[i] && cols[i].required) m.errors.emplace_back(i, "required value is missing");
  return AddRow(index);
}

Status IngestJob::Feed(std::string_view bytes) {
  Impl& m = *impl_;
  bytes_ += bytes.size();
  if (m.opts.max_bytes && bytes_ > m.opts.max_bytes)
    return Status(Code::kTooLarge,
                  "the file exceeds the ingest limit of " + std::to_string(m.opts.max_bytes) + " bytes");
  KILDE_RETURN_IF_ERROR(m.decoder.Feed(bytes, &m.utf8));
  if (m.utf8.size() < kParseBytes) return Status::Ok();  // parse larger pieces (see kParseBytes)
  return ParsePending();
}

Status IngestJob::ParsePending() {
  Impl& m = *impl_;
  Status s;
  if (m.csv) {
    s = m.csv->Feed(m.utf8, [this](const ingest::Record& r) { return OnCsv(r.fields, r.line); });
  } else {
    auto on_obj = [this](const nlohmann::json& o, uint64_t i) { return OnObject(o, i); };
    s = m.json_array ? m.json_array->Feed(m.utf8, on_obj) : m.ndjson->Feed(m.utf8, on_obj);
  }
  m.utf8.clear();
  KILDE_RETURN_IF_ERROR(s);
  return m.writer->Pause();  // the next piece of input may take a while
}

Result<nlohmann::json> IngestJob::Finish() {
  Impl& m = *impl_;
  KILDE_RETURN_IF_ERROR(m.decoder.Finish(&m.utf8));
  auto on_obj = [this](const nlohmann::json& o, uint64_t i) { return OnObject(o, i); };
  if (m.csv) {
    auto on_rec = [this](const ingest::Record& r) { return OnCsv(r.fields, r.line); };
    KILDE_RETURN_IF_ERROR(m.csv->Feed(m.utf8, on_rec));
    KILDE_RETURN_IF_ERROR(m.csv->Finish(on_rec));
    if (!m.header_done) return Status::Invalid("the file is empty: a CSV file needs a header row");
  } else if (m.json_array) {
    KILDE_RETURN_IF_ERROR(m.json_array->Feed(m.utf8, on_obj));
    KILDE_RETURN_IF_ERROR(m.json_array->Finish(on_obj));
  } else {
    KILDE_RETURN_IF_ERROR(m.ndjson->Feed(m.utf8, on_obj));
    KILDE_RETURN_IF_ERROR(m.ndjson->Finish(on_obj));
  }
  if (m.bad_rows > 0 && !m.opts.quarantine) {
    // Build the message before moving the problems out (argument evaluation order is unspecified).
    std::string msg = std::to_string(m.bad_rows) + " row(s) do not match the schema; nothing was stored";
    if (m.truncated) msg += " (the first " + std::to_string(m.reported.size()) + " problems are listed)";
    msg += "; fix them, or send ?on_error=quarantine to keep the good rows";
    return Status::Invalid(std::move(msg), std::move(m.reported));
  }
  store::EditionRow e;
  const std::string now = NowRfc3339();
  e.id = now.substr(0, 10) + "-" + RandomHex(3);
  e.product = m.product.row.id;
  e.created = now;
  e.source_name = m.opts.source_name;
  e.row_count = rows_;
  e.schema_version = m.product.row.schema_version;
  e.sha256 = m.hash.HexDigest();
  nlohmann::json quality = m.quality.ToJson();
  if (!m.reported.empty()) {
    nlohmann::json q = nlohmann::json::array();
    for (const auto& p : m.reported)
      q.push_back({{"where", p.field}, {"problem", p.problem}, {"reason", p.message}});
    quality["quarantined"] = std::move(q);
  }
  e.quality = quality.dump();
  KILDE_RETURN_IF_ERROR(m.writer->Commit(e));
  return EditionJson(e, true);
}

}  // namespace kilde::products
