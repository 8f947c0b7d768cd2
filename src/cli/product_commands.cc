// `kilde schema infer`, `kilde product create` and `kilde ingest`.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "api/json_body.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "ingest/charset.h"
#include "ingest/csv_reader.h"
#include "products/infer.h"
#include "products/ingest_job.h"
#include "products/service.h"

namespace kilde::cli {
namespace {

struct FileFlags {
  std::string charset = "utf-8";
  std::string delimiter;  // "" = detect
  bool decimal_comma = false;
  std::vector<std::string> nulls;
  void AddTo(CLI::App* cmd) {
    cmd->add_option("--charset", charset, "utf-8, windows-1252 or iso-8859-1")->capture_default_str();
    cmd->add_option("--delimiter", delimiter, "CSV delimiter: , ; or tab (default: detect)");
    cmd->add_flag("--decimal-comma", decimal_comma, "Decimals use a comma (1,5)");
    cmd->add_option("--null", nulls, "A value meaning 'no value', e.g. - or : (repeatable; default: empty)");
  }
  Result<products::IngestOptions> Options() const {
    products::IngestOptions o;
    auto cs = ingest::CharsetFromName(charset);
    if (!cs)
      return Status::Invalid("unknown --charset '" + charset + "'; use utf-8, windows-1252 or iso-8859-1");
    o.charset = *cs;
    if (delimiter == "tab")
      o.delimiter = '\t';
    else if (delimiter == "," || delimiter == ";")
      o.delimiter = delimiter[0];
    else if (!delimiter.empty())
      return Status::Invalid("unknown --delimiter '" + delimiter + "'; use , ; or tab");
    o.decimal_comma = decimal_comma;
    if (!nulls.empty()) o.null_markers = nulls;
    return o;
  }
};

int Infer(const std::string& file, const FileFlags& ff, size_t sample) {
  auto opts = ff.Options();
  if (!opts.ok()) return Fail(opts.status());
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(Status::NotFound("cannot read " + file));
  ingest::Decoder decoder(opts->charset);
  ingest::CsvOptions co;
  co.delimiter = opts->delimiter;
  ingest::CsvReader csv(co);
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  const Status kEnough(Code::kAlreadyExists, "sample complete");
  auto on_record = [&](const ingest::Record& r) -> Status {
    std::vector<std::string> fields(r.fields.begin(), r.fields.end());
    if (header.empty())
      header = std::move(fields);
    else
      rows.push_back(std::move(fields));
    return rows.size() >= sample ? kEnough : Status::Ok();
  };
  std::string buf(1 << 16, '\0'), utf8;
  Status s;
  while (s.ok() && in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    utf8.clear();
    s = decoder.Feed(std::string_view(buf.data(), static_cast<size_t>(in.gcount())), &utf8);
    if (s.ok()) s = csv.Feed(utf8, on_record);
  }
  if (s.ok()) {
    utf8.clear();
    s = decoder.Finish(&utf8);
    if (s.ok()) s = csv.Feed(utf8, on_record);
    if (s.ok()) s = csv.Finish(on_record);
  }
  if (!s.ok() && s.code() != Code::kAlreadyExists) return Fail(s);
  if (header.empty()) return Fail(Status::Invalid(file + " is empty: a CSV file needs a header row"));
  products::ParseOptions po;
  po.decimal_comma = opts->decimal_comma;
  po.null_markers = opts->null_markers;
  std::cout << products::SchemaToJson(products::InferSchema(header, rows, po)).dump(2) << "\n";
  return 0;
}

int Create(const CommonFlags& common, const std::string& id, const std::string& dataset,
           const std::string& schema_file, const std::string& access_level) {
  std::ifstream in(schema_file, std::ios::binary);
  if (!in) return Fail(Status::NotFound("cannot read " + schema_file));
  std::stringstream text;
  text << in.rdbuf();
  auto schema = api::ParseJson(text.str(), schema_file);
  if (!schema.ok()) return Fail(schema.status());
  auto opened = OpenStore(common);
  if (!opened.ok()) return Fail(opened.status());
  products::ProductService svc(opened->store.get());
  auto doc =
      svc.Create({{"id", id}, {"dataset", dataset}, {"access_level", access_level}, {"schema", *schema}});
  if (!doc.ok()) return Fail(doc.status());
  std::cout << "created data product '" << id << "' (schema version 1, " << access_level << ") in "
            << opened->cfg.data_dir << "\n";
  return 0;
}

int Ingest(const CommonFlags& common, const std::string& product, const std::string& file,
           const FileFlags& ff, std::string format, bool quarantine) {
  auto opts = ff.Options();
  if (!opts.ok()) return Fail(opts.status());
  if (format.empty()) {
    const auto dot = file.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : file.substr(dot + 1);
    format = ext == "json" ? "json" : (ext == "ndjson" || ext == "jsonl") ? "ndjson" : "csv";
  }
  if (format == "csv")
    opts->format = products::InputFormat::kCsv;
  else if (format == "json")
    opts->format = products::InputFormat::kJson;
  else if (format == "ndjson")
    opts->format = products::InputFormat::kNdjson;
  else
    return Fail(Status::Invalid("unknown --format '" + format + "'; use csv, json or ndjson"));
  opts->quarantine = quarantine;
  opts->source_name = file.substr(file.rfind('/') == std::string::npos ? 0 : file.rfind('/') + 1);
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) return Fail(Status::NotFound("cannot read " + file));
  const auto total = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  auto opened = OpenStore(common);
  if (!opened.ok()) return Fail(opened.status());
  products::ProductService svc(opened->store.get());
  auto cur = svc.Load(product);
  if (!cur.ok()) return Fail(cur.status());
  auto job = products::IngestJob::Start(&opened->store->products(), *cur, *opts);
  if (!job.ok()) return Fail(job.status());
  const bool tty = ::isatty(STDERR_FILENO);
  std::string buf(1 << 20, '\0');
  int last_pct = -1;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    Status s = (*job)->Feed(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
    if (!s.ok()) return Fail(s);
    const int pct = total ? static_cast<int>((*job)->bytes_read() * 100 / total) : 100;
    if (tty && pct != last_pct) {
      last_pct = pct;
      std::string bar(static_cast<size_t>(pct / 4), '#');
      std::cerr << "\r[" << bar << std::string(25 - bar.size(), ' ') << "] " << pct << "%  "
                << (*job)->rows_written() << " rows" << std::flush;
    }
  }
  if (tty) std::cerr << "\n";
  auto edition = (*job)->Finish();
  if (!edition.ok()) return Fail(edition.status());
  std::cout << edition->dump(2) << "\n";
  return 0;
}

}  // namespace

void RegisterProduct(CLI::App& app, int* exit_code) {
  CLI::App* schema = app.add_subcommand("schema", "Work with data product schemas");
  schema->require_subcommand(1);
  auto infer_file = std::make_shared<std::string>();
  auto infer_flags = std::make_shared<FileFlags>();
  auto sample = std::make_shared<size_t>(1000);
  CLI::App* infer =
      schema->add_subcommand("infer", "Propose a schema (JSON) from a CSV file, for you to edit");
  infer->add_option("FILE", *infer_file, "CSV file")->required();
  infer_flags->AddTo(infer);
  infer->add_option("--sample", *sample, "Rows to look at")->capture_default_str();
  infer->callback([=] { *exit_code = Infer(*infer_file, *infer_flags, *sample); });

  CLI::App* product = app.add_subcommand("product", "Manage data products");
  product->require_subcommand(1);
  struct CreateArgs {
    CommonFlags common;
    std::string id, dataset, schema;
    std::string access_level = "non_public";
  };
  auto ca = std::make_shared<CreateArgs>();
  CLI::App* create = product->add_subcommand("create", "Create a data product for a catalog dataset");
  ca->common.AddTo(create);
  create->add_option("--id", ca->id, "Product id (a slug)")->required();
  create->add_option("--dataset", ca->dataset, "Catalog dataset id")->required();
  create->add_option("--schema", ca->schema, "Schema JSON file (see `kilde schema infer`)")->required();
  create
      ->add_option("--access-level", ca->access_level,
                   "public, restricted or non_public (who may read its rows; docs/access.md)")
      ->capture_default_str();
  create->callback(
      [=] { *exit_code = Create(ca->common, ca->id, ca->dataset, ca->schema, ca->access_level); });

  struct IngestArgs {
    CommonFlags common;
    FileFlags file_flags;
    std::string product, file, format;
    bool quarantine = false;
  };
  auto ia = std::make_shared<IngestArgs>();
  CLI::App* ingest = app.add_subcommand("ingest", "Load a file as a new edition of a data product");
  ia->common.AddTo(ingest);
  ia->file_flags.AddTo(ingest);
  ingest->add_option("PRODUCT", ia->product, "Product id")->required();
  ingest->add_option("FILE", ia->file, "CSV, JSON (array of objects) or NDJSON file")->required();
  ingest->add_option("--format", ia->format, "csv, json or ndjson (default: from the file name)");
  ingest->add_flag("--quarantine", ia->quarantine, "Keep the good rows and report the bad ones");
  ingest->callback([=] {
    *exit_code = Ingest(ia->common, ia->product, ia->file, ia->file_flags, ia->format, ia->quarantine);
  });
}

}  // namespace kilde::cli
