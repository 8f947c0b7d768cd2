// One ingest: bytes of a CSV / JSON / NDJSON file in, one immutable edition out.
//
// Streaming: Feed() may be called with any chunking; memory stays bounded by the
// largest record plus the error report and distinct-value caps. Rows are checked
// against the product's current schema; each bad cell is reported with line (or
// element index), column and reason. By default any error rejects the whole edition;
// with `quarantine` the good rows become the edition and the bad ones are listed
// in its quality report. Nothing is visible until Finish() succeeds. Not thread safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/sha256.h"
#include "ingest/charset.h"
#include "products/quality.h"
#include "products/service.h"
#include "products/value.h"
#include "store/product_store.h"

namespace kilde::products {

enum class InputFormat { kCsv, kJson, kNdjson };

struct IngestOptions {
  InputFormat format = InputFormat::kCsv;
  ingest::Charset charset = ingest::Charset::kUtf8;
  char delimiter = 0;  // CSV: 0 = detect
  bool decimal_comma = false;
  std::vector<std::string> null_markers = {""};
  bool quarantine = false;
  std::string source_name;
  size_t max_reported_errors = 100;
  uint64_t max_bytes = 0;  // 0 = unlimited
};

struct IngestJobImpl;

class IngestJob {
 public:
  static Result<std::unique_ptr<IngestJob>> Start(store::ProductStore* store,
                                                  const ProductService::Current& product, IngestOptions opts);
  // Use Start(); public only so that std::make_unique can reach it.
  explicit IngestJob(std::unique_ptr<IngestJobImpl> impl);
  ~IngestJob();
  // Consumes the next chunk of the input. A non-OK status ends the job (nothing is kept).
  Status Feed(std::string_view bytes);
  // Completes the edition and returns its description (EditionJson with quality), or
  // kInvalidArgument listing the first bad rows (details: field "line 12, column year").
  Result<nlohmann::json> Finish();
  uint64_t bytes_read() const { return bytes_; }
  int64_t rows_written() const { return rows_; }

 private:
  using Impl = IngestJobImpl;
  // Decoded text is parsed once this much has arrived (or at Finish): HTTP bodies come in small
  // pieces, and parsing fewer, larger ones is faster (less switching between the server's threads).
  static constexpr size_t kParseBytes = size_t{1} << 20;
  Status ParsePending();
  Status OnCsv(const std::vector<std::string_view>& fields, uint64_t line);
  Status OnObject(const nlohmann::json& obj, uint64_t index);
  // Stores the parsed row (impl_->values), or records its problems (impl_->errors); `pos` is its
  // line (CSV, NDJSON) or element index (JSON array).
  Status AddRow(uint64_t pos);
  std::string Where(uint64_t pos) const;  // "line 12" / "element 3"

  std::unique_ptr<Impl> impl_;
  uint64_t bytes_ = 0;
  int64_t rows_ = 0;
};

}  // namespace kilde::products
