// Helpers for the validate*_test.cc unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "catalog/validate.h"

namespace kilde::catalog::testing {

// Every problem of `v`, one per line, for assertion messages.
inline std::string Dump(const Validation& v) {
  std::string out;
  for (const FieldProblem& p : v.problems)
    out += "  " + p.field + ": " + p.problem + " (" + p.message + ")\n";
  return out;
}

// Whether `v` reports `problem` on `field`.
inline bool Has(const Validation& v, std::string_view field, std::string_view problem) {
  for (const FieldProblem& p : v.problems)
    if (p.field == field && p.problem == problem) return true;
  return false;
}

// The message of the first problem on `field`, or "".
inline std::string MessageOf(const Validation& v, std::string_view field) {
  for (const FieldProblem& p : v.problems)
    if (p.field == field) return p.message;
  return "";
}

// Whether `v` records a reference to `id` of `kind` found at `field`.
inline bool HasRef(const Validation& v, Kind kind, std::string_view id, std::string_view field) {
  for (const Reference& r : v.references)
    if (r.kind == kind && r.id == id && r.field == field) return true;
  return false;
}

}  // namespace kilde::catalog::testing

// Asserts that validation `v` reported `problem` on `field`, printing every problem otherwise.
#define EXPECT_PROBLEM(v, field, problem)                                               \
  EXPECT_TRUE(::kilde::catalog::testing::Has((v), (field), (problem))) << "problems:\n" \
                                                                       << ::kilde::catalog::testing::Dump(v)
#define EXPECT_VALID(v) \
  EXPECT_TRUE((v).problems.empty()) << "problems:\n" << ::kilde::catalog::testing::Dump(v)
