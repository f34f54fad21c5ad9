#pragma once

// Debian 12's Abseil (20220623) has no ABSL_RETURN_IF_ERROR / ASSIGN_OR_RETURN; these are ours.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define COLLABGRAPH_CONCAT_INNER_(a, b) a##b
#define COLLABGRAPH_CONCAT_(a, b) COLLABGRAPH_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing function when not OK.
#define COLLABGRAPH_RETURN_IF_ERROR(expr)                     \
  do {                                                        \
    if (absl::Status _cg_status = (expr); !_cg_status.ok()) { \
      return _cg_status;                                      \
    }                                                         \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, otherwise moves the
// value into `lhs`, which may be a declaration (`auto x`) or an existing variable.
#define COLLABGRAPH_ASSIGN_OR_RETURN(lhs, rexpr) \
  COLLABGRAPH_ASSIGN_OR_RETURN_IMPL_(COLLABGRAPH_CONCAT_(_cg_statusor_, __LINE__), lhs, rexpr)

// NOLINTBEGIN(bugprone-macro-parentheses): `lhs` may be a declaration, which parentheses break.
#define COLLABGRAPH_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                       \
  if (!statusor.ok()) {                                          \
    return std::move(statusor).status();                         \
  }                                                              \
  lhs = *std::move(statusor)
// NOLINTEND(bugprone-macro-parentheses)
