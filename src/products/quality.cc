#include "products/quality.h"

#include <charconv>
#include <functional>

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

void AppendCanonicalText(const Value& v, std::string* out) {
  char buf[32];
  switch (v.kind) {
    case Value::Kind::kNull:
      return;
    case Value::Kind::kInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.i);
      out->append(buf, r.ptr);
      return;
    }
    case Value::Kind::kReal: {
      // The value, not its spelling: "10.10", "10.1" and "1,01e1" are one decimal, stored as one
      // double, so a download of the edition uploaded again hashes the same.
      auto r = std::to_chars(buf, buf + sizeof buf, v.d);
      out->append(buf, r.ptr);
      return;
    }
    case Value::Kind::kText:
      out->append(v.text);
      return;
  }
}

std::string CanonicalText(const Value& v) {
  std::string s;
  AppendCanonicalText(v, &s);
  return s;
}

namespace {
// A 64-bit mix (the finaliser of MurmurHash3) to spread integer keys over the table.
uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
}  // namespace

template <typename Eq>
bool DistinctSet::Insert(uint64_t hash, uint64_t key, Eq eq, std::string_view text) {
  if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint32_t slot = slots_[i];
    if (slot == 0) {
      Entry e{key, 0, 0};
      if (!text.empty()) {
        e.off = static_cast<uint32_t>(arena_.size());
        e.len = static_cast<uint32_t>(text.size());
        arena_.append(text);
      }
      entries_.push_back(e);
      slots_[i] = static_cast<uint32_t>(entries_.size());
      return true;
    }
    if (eq(entries_[slot - 1])) return false;
  }
}

void DistinctSet::Grow() {
  std::vector<uint32_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (uint32_t slot : old) {
    if (slot == 0) continue;
    const Entry& e = entries_[slot - 1];
    const uint64_t h = int_mode_ ? Mix(e.key) : e.key;  // integers are stored by value, strings by hash
    size_t i = h & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

bool DistinctSet::AddInt(int64_t v) {
  int_mode_ = true;
  const uint64_t key = static_cast<uint64_t>(v);
  return Insert(Mix(key), key, [key](const Entry& e) { return e.key == key; }, {});
}

bool DistinctSet::AddText(std::string_view s) {
  const uint64_t h = std::hash<std::string_view>{}(s);
  return Insert(
      h, h,
      [&](const Entry& e) {
        return e.key == h && e.len == s.size() && std::string_view(arena_).substr(e.off, e.len) == s;
      },
      s);
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
      if (v.kind == Value::Kind::kInt) {
        c.distinct.AddInt(v.i);  // integers are equal exactly when their canonical texts are
      } else if (v.kind == Value::Kind::kReal) {
        scratch_.clear();
        AppendCanonicalText(v, &scratch_);
        c.distinct.AddText(scratch_);
      } else {
        c.distinct.AddText(v.text);
      }
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
