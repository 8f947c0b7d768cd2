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
  std::vector<Value> values;
  std::vector<store::Cell> cells;
  std::vector<FieldProblem> reported;
  int64_t bad_rows = 0;
  bool truncated = false;  // more problems than max_reported_errors
  QualityReport quality;
  nlohmann::json quarantined = nlohmann::json::array();
  Sha256 hash;
  explicit IngestJobImpl(const ProductService::Current& p) : product(p), quality(p.schema) {}
};

namespace {

store::Cell ToCell(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return {};
    case Value::Kind::kInt:
      return {store::CellKind::kInt, v.i, 0, ""};
    case Value::Kind::kReal:
      return {store::CellKind::kReal, 0, v.d, ""};
    case Value::Kind::kText:
      return {store::CellKind::kText, 0, 0, v.text};
  }
  return {};
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

Status IngestJob::AddRow(std::vector<std::pair<size_t, std::string>> errors, const std::string& where) {
  Impl& m = *impl_;
  const auto& cols = m.product.schema.columns;
  if (errors.empty()) {
    for (size_t i = 0; i < cols.size(); ++i) m.cells[i] = ToCell(m.values[i]);
    Status s = m.writer->Append(m.cells);
    if (s.code() == Code::kAlreadyExists) {
      for (size_t i = 0; i < cols.size(); ++i)
        if (cols[i].key) errors.emplace_back(i, "duplicate value in key column");
    } else if (!s.ok()) {
      return s;
    }
  }
  if (!errors.empty()) {
    ++m.bad_rows;
    m.quality.AddRejectedRow();
    for (const auto& [col, reason] : errors) {
      m.quality.AddInvalid(col);
      if (m.reported.size() < m.opts.max_reported_errors)
        m.reported.push_back({where + ", column " + cols[col].name, "invalid_value", reason});
      else
        m.truncated = true;
    }
    return Status::Ok();
  }
  m.quality.Add(m.values);
  for (size_t i = 0; i < cols.size(); ++i) {
    m.hash.Update(CanonicalText(m.values[i]));
    m.hash.Update(m.values[i].kind == Value::Kind::kNull ? std::string_view("\x1d", 1)
                                                         : std::string_view("\x1f", 1));
  }
  m.hash.Update("\x1e");
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
  const std::string where = "line " + std::to_string(line);
  std::vector<std::pair<size_t, std::string>> errors;
  if (fields.size() != m.header_map.size()) {
    ++m.bad_rows;
    m.quality.AddRejectedRow();
    if (m.reported.size() >= m.opts.max_reported_errors)
      m.truncated = true;
    else
      m.reported.push_back({where, "wrong_field_count",
                            "expected " + std::to_string(m.header_map.size()) + " fields, found " +
                                std::to_string(fields.size())});
    return Status::Ok();
  }
  for (auto& v : m.values) v = Value{};
  for (size_t f = 0; f < fields.size(); ++f) {
    const size_t col = *m.header_map[f];
    CellResult r = ParseCell(cols[col], fields[f], m.parse);
    if (!r.ok())
      errors.emplace_back(col, std::move(r.error));
    else
      m.values[col] = std::move(r.value);
  }
  return AddRow(std::move(errors), where);
}

Status IngestJob::OnObject(const nlohmann::json& obj, uint64_t index) {
  Impl& m = *impl_;
  const auto& cols = m.product.schema.columns;
  const std::string where = m.opts.format == InputFormat::kNdjson ? "line " + std::to_string(index)
                                                                  : "element " + std::to_string(index);
  std::vector<std::pair<size_t, std::string>> errors;
  for (auto& v : m.values) v = Value{};
  std::vector<bool> present(cols.size(), false);
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    auto pos = m.product.schema.Find(it.key());
    if (!pos) {
      if (m.reported.size() >= m.opts.max_reported_errors)
        m.truncated = true;
      else
        m.reported.push_back({where, "unknown_column", "'" + it.key() + "' is not a column of the schema"});
      ++m.bad_rows;
      m.quality.AddRejectedRow();
      return Status::Ok();
    }
    present[*pos] = true;
    const auto& v = it.value();
    std::string raw;
    if (v.is_null()) {
      if (cols[*pos].required) errors.emplace_back(*pos, "required value is missing");
      continue;
    }
    if (v.is_string())
      raw = v.get<std::string>();
    else if (v.is_boolean())
      raw = v.get<bool>() ? "true" : "false";
    else if (v.is_number())
      raw = v.dump();
    else {
      errors.emplace_back(*pos, "expected a string, number, boolean or null");
      continue;
    }
    CellResult r = ParseCell(cols[*pos], raw, m.json_parse);
    if (!r.ok())
      errors.emplace_back(*pos, std::move(r.error));
    else
      m.values[*pos] = std::move(r.value);
  }
  for (size_t i = 0; i < cols.size(); ++i)
    if (!present[i] && cols[i].required) errors.emplace_back(i, "required value is missing");
  return AddRow(std::move(errors), where);
}

Status IngestJob::Feed(std::string_view bytes) {
  Impl& m = *impl_;
  bytes_ += bytes.size();
  if (m.opts.max_bytes && bytes_ > m.opts.max_bytes)
    return Status(Code::kTooLarge,
                  "the file exceeds the ingest limit of " + std::to_string(m.opts.max_bytes) + " bytes");
  m.utf8.clear();
  KILDE_RETURN_IF_ERROR(m.decoder.Feed(bytes, &m.utf8));
  if (m.csv) return m.csv->Feed(m.utf8, [this](const ingest::Record& r) { return OnCsv(r.fields, r.line); });
  auto on_obj = [this](const nlohmann::json& o, uint64_t i) { return OnObject(o, i); };
  return m.json_array ? m.json_array->Feed(m.utf8, on_obj) : m.ndjson->Feed(m.utf8, on_obj);
}

Result<nlohmann::json> IngestJob::Finish() {
  Impl& m = *impl_;
  m.utf8.clear();
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
