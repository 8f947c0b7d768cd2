// Status and Result<T>: the one error model of kilde (see src/README.md).
//
// Expected failures (bad input, missing rows, store errors) travel as values.
// Programmer errors are asserts. Exceptions never cross a module boundary:
// code that calls a throwing library catches at its own edge and returns a
// Status.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kilde {

// What kind of failure; maps one-to-one to an HTTP status in the api layer.
enum class Code {
  kOk = 0,
  kInvalidArgument,     // 400 validation_failed / bad_request
  kNotFound,            // 404
  kAlreadyExists,       // 409
  kConflict,            // 409 (e.g. still referenced)
  kFailedPrecondition,  // 412 (version mismatch)
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403
  kTooLarge,            // 413
  kUnsupported,         // 415 / 406
  kUnavailable,         // 503 (store unreachable)
  kInternal,            // 500
};

// One problem with one field of an input document.
struct FieldProblem {
  std::string field;    // dotted path, e.g. "contact_point.email", "themes[1]"
  std::string problem;  // machine code: required, invalid_format, ...
  std::string message;  // optional human sentence (English)
};

class Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message, std::vector<FieldProblem> details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg, std::vector<FieldProblem> d = {}) {
    return Status(Code::kInvalidArgument, std::move(msg), std::move(d));
  }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
  static Status Exists(std::string msg) { return Status(Code::kAlreadyExists, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldProblem>& details() const { return details_; }

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::vector<FieldProblem> details_;
};

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kilde

// Propagate a failed Status from an expression returning Status.
#define KILDE_RETURN_IF_ERROR(expr) \
  do {                              \
    ::kilde::Status _st = (expr);   \
    if (!_st.ok()) return _st;      \
  } while (0)

#define KILDE_CONCAT_INNER(a, b) a##b
#define KILDE_CONCAT(a, b) KILDE_CONCAT_INNER(a, b)
// Assign the value of a Result<T> expression to `lhs`, or return its Status.
#define KILDE_ASSIGN_OR_RETURN(lhs, expr) \
  KILDE_ASSIGN_OR_RETURN_IMPL(KILDE_CONCAT(_res_, __LINE__), lhs, expr)
#define KILDE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
