#include "products/quality.h"

#include <charconv>

namespace kilde::products {
namespace {

bool Less(const Value& a, const Value& b) {
  if (a.kind == Value::Kind::kInt) return a.i < b.i;
  if (a.kind == Value::Kind::kReal) return a.d < b.d;
  return a.text < b.text;
}

nlohmann::json ToJsonValue(const Value& v, ColumnType t) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kInt:
      return t == ColumnType::kBoolean ? nlohmann::json(v.i != 0) : nlohmann::json(v.i);
    case Value::Kind::kReal:
      return v.d;
    case Value::Kind::kText:
      return v.text;
  }
  return nullptr;
}

}  // namespace

std::string CanonicalText(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return std::string();
    case Value::Kind::kInt:
      return std::to_string(v.i);
    case Value::Kind::kReal:
      if (!v.text.empty()) return v.text;
      {
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, v.d);
        return std::string(buf, r.ptr);
      }
    case Value::Kind::kText:
      return v.text;
  }
  return std::string();
}

QualityReport::QualityReport(const Schema& schema) {
  for (const auto& c : schema.columns) {
    Col col;
    col.name = c.name;
    col.type = c.type;
    col.personal = c.personal_data != PersonalData::kNone;
    cols_.push_back(std::move(col));
  }
}

void QualityReport::Add(const std::vector<Value>& row) {
  ++rows_;
  for (size_t i = 0; i < cols_.size() && i < row.size(); ++i) {
    Col& c = cols_[i];
    const Value& v = row[i];
    if (v.kind == Value::Kind::kNull) {
      ++c.nulls;
      continue;
    }
    if (c.personal) {
    } else if (!c.has_minmax) {
      c.min = c.max = v;
      c.has_minmax = true;
    } else if (Less(v, c.min)) {
      c.min = v;
    } else if (Less(c.max, v)) {
      c.max = v;
    }
    if (!c.distinct_capped) {
      c.distinct.insert(CanonicalText(v));
      if (c.distinct.size() >= kDistinctCap) c.distinct_capped = true;
    }
  }
}

nlohmann::json QualityReport::ToJson() const {
  nlohmann::json cols = nlohmann::json::array();
  for (const auto& c : cols_) {
    const int64_t present = rows_ - c.nulls;
    nlohmann::json j = {
        {"name", c.name},
        {"type", TypeName(c.type)},
        {"completeness", rows_ == 0 ? 1.0 : static_cast<double>(present) / static_cast<double>(rows_)},
        {"nulls", c.nulls},
        {"distinct", c.distinct.size()},
        {"distinct_exact", !c.distinct_capped},
        {"min", c.has_minmax ? ToJsonValue(c.min, c.type) : nullptr},
        {"max", c.has_minmax ? ToJsonValue(c.max, c.type) : nullptr},
        {"invalid", c.invalid}};
    cols.push_back(std::move(j));
  }
  return {{"rows", rows_}, {"rejected_rows", rejected_rows_}, {"columns", std::move(cols)}};
}

}  // namespace kilde::products
