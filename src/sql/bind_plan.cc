#include "sql/bind_plan.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "common/json.h"
#include "common/strings.h"
#include "sql/errors.h"

namespace wifgate::sql {
namespace {

// The binding a parameter takes: its position for `?`, else its name without the sigil.
std::string BindingName(sqlite3_stmt* stmt, int index) {
  const char* name = sqlite3_bind_parameter_name(stmt, index);
  return name == nullptr ? std::to_string(index) : std::string(name + 1);
}

std::string MarkerText(sqlite3_stmt* stmt, int index) {
  const char* name = sqlite3_bind_parameter_name(stmt, index);
  return name == nullptr ? "? number " + std::to_string(index) : name;
}

// The first few binding names, each cut short: the names come from the client, and a
// request may carry thousands of them.
std::string NameList(const std::vector<std::string>& names) {
  constexpr size_t kListed = 10;
  std::vector<std::string> quoted;
  for (size_t i = 0; i < names.size() && i < kListed; ++i)
    quoted.push_back(QuoteForError(names[i]));
  std::string list = Join(quoted, ", ");
  if (names.size() > kListed) list += ", … (" + std::to_string(names.size()) + " bindings)";
  return list;
}

int BindOne(sqlite3_stmt* stmt, int index, const BoundValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v.value)) return sqlite3_bind_int64(stmt, index, *i);
  if (const auto* d = std::get_if<double>(&v.value)) return sqlite3_bind_double(stmt, index, *d);
  if (const auto* s = std::get_if<std::string>(&v.value)) {
    return sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  return sqlite3_bind_null(stmt, index);
}

struct Op {
  std::string opcode;
  int p1, p2, p3;
};

// The statement's bytecode, or nothing when EXPLAIN fails (the typing is a refinement).
std::vector<Op> Bytecode(sqlite3* db, std::string_view sql) {
  std::string explain = "EXPLAIN " + std::string(sql);
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, explain.data(), static_cast<int>(explain.size()), &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(raw, sqlite3_finalize);
  std::vector<Op> ops;
  if (rc != SQLITE_OK || raw == nullptr) return ops;
  while (sqlite3_step(raw) == SQLITE_ROW) {
    const auto* opcode = reinterpret_cast<const char*>(sqlite3_column_text(raw, 1));
    ops.push_back({opcode == nullptr ? "" : opcode, sqlite3_column_int(raw, 2),
                   sqlite3_column_int(raw, 3), sqlite3_column_int(raw, 4)});
  }
  return ops;
}

// For each register, the parameters (1-based) whose value it may hold: written by a
// Variable op, or copied from such a register by Copy (P3+1 registers) or SCopy.
std::map<int, std::set<int>> ParameterRegisters(const std::vector<Op>& ops) {
  std::map<int, std::set<int>> params;
  for (const Op& op : ops) {
    if (op.opcode == "Variable") params[op.p2].insert(op.p1);
  }
  for (size_t pass = 0; pass < ops.size(); ++pass) {  // until stable; each pass adds or stops
    bool changed = false;
    for (const Op& op : ops) {
      int n = op.opcode == "Copy" ? op.p3 + 1 : op.opcode == "SCopy" ? 1 : 0;
      for (int k = 0; k < n; ++k) {
        auto src = params.find(op.p1 + k);
        if (src == params.end()) continue;
        std::set<int> from = src->second;
        std::set<int>& to = params[op.p2 + k];
        size_t before = to.size();
        to.insert(from.begin(), from.end());
        changed = changed || to.size() != before;
      }
    }
    if (!changed) break;
  }
  return params;
}

bool Fits(const Cell& cell, ColumnType type) {
  if (std::holds_alternative<std::monostate>(cell)) return true;
  const auto* i = std::get_if<int64_t>(&cell);
  const auto* s = std::get_if<std::string>(&cell);
  switch (type) {
    case ColumnType::kBoolean:
      return i != nullptr && (*i == 0 || *i == 1);
    case ColumnType::kFixed:  // an integer, or the digits of one beyond int64
      return i != nullptr ||
             (s != nullptr && !s->empty() &&
              s->find_first_not_of("0123456789", (*s)[0] == '-' ? 1 : 0) == std::string::npos);
    case ColumnType::kReal:
      return std::holds_alternative<double>(cell);
    case ColumnType::kObject:
    case ColumnType::kArray: {
      if (s == nullptr) return false;
      auto doc = ParseStrictJson(*s, {.max_bytes = s->size() + 1, .max_depth = 64});
      return doc.ok() && (type == ColumnType::kObject || doc->is_array());
    }
    case ColumnType::kText:
      return s != nullptr;
    case ColumnType::kTimestampLtz:
      return false;
  }
  return false;
}

}  // namespace

void ApplyMarkerTypes(ResultSet& rs, const std::vector<std::optional<ColumnType>>& types) {
  for (size_t c = 0; c < types.size() && c < rs.columns.size(); ++c) {
    if (!types[c]) continue;
    ColumnType type = *types[c];
    bool fits = std::all_of(rs.rows.begin(), rs.rows.end(),
                            [&](const std::vector<Cell>& row) { return Fits(row[c], type); });
    if (!fits) continue;
    rs.columns[c].type = type;
    if (type != ColumnType::kBoolean) continue;
    for (auto& row : rs.rows) {
      if (const auto* i = std::get_if<int64_t>(&row[c])) row[c] = *i != 0;
    }
  }
}

Result<BindPlan> BindPlan::Make(sqlite3_stmt* stmt, const Binds& binds) {
  int count = sqlite3_bind_parameter_count(stmt);
  // A lookup per parameter: a statement may have up to kMaxBindVariables of them, and this
  // runs under the engine's lock.
  std::unordered_map<std::string_view, size_t> column_named;
  for (size_t c = 0; c < binds.names.size(); ++c) column_named.emplace(binds.names[c], c);
  std::vector<size_t> column_of;
  std::vector<bool> used(binds.names.size(), false);
  for (int i = 1; i <= count; ++i) {
    auto it = column_named.find(BindingName(stmt, i));
    if (it == column_named.end()) {
      return SqlError(
          kBindVariable,
          "Bind variable " + MarkerText(stmt, i) + " not set; the request " +
              (binds.empty() ? std::string("has no bindings") : "binds " + NameList(binds.names)) +
              ". Positional markers (?) take bindings \"1\", \"2\", …; :name "
              "takes the binding \"name\".");
    }
    size_t column = it->second;
    used[column] = true;
    column_of.push_back(column);
  }
  for (size_t c = 0; c < used.size(); ++c) {
    if (!used[c]) {
      return SqlError(kBindVariable, "Binding " + QuoteForError(binds.names[c]) +
                                         " matches no bind variable in the statement, which "
                                         "has " +
                                         std::to_string(count) +
                                         "; remove the binding or fix its name.");
    }
  }
  return BindPlan(std::move(column_of));
}

Status BindPlan::BindRow(sqlite3* db, sqlite3_stmt* stmt,
                         const std::vector<BoundValue>& row) const {
  for (size_t i = 0; i < column_of_.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    if (BindOne(stmt, index, row[column_of_[i]]) != SQLITE_OK) {
      return SqlError(kBindValue, "Bind variable " + MarkerText(stmt, index) +
                                      " could not be bound: " + sqlite3_errmsg(db) + ".");
    }
  }
  return Status::Ok();
}

std::vector<std::optional<ColumnType>> BindPlan::MarkerColumnTypes(
    sqlite3* db, std::string_view sql, int columns, const std::vector<BoundValue>& row) const {
  std::vector<std::optional<ColumnType>> types(static_cast<size_t>(columns));
  std::vector<Op> ops = Bytecode(db, sql);
  std::map<int, std::set<int>> params = ParameterRegisters(ops);
  // The one bind type a register may hold; nullopt for none or several.
  auto type_of = [&](int reg) -> std::optional<ColumnType> {
    auto it = params.find(reg);
    if (it == params.end()) return std::nullopt;
    std::optional<ColumnType> type;
    for (int p : it->second) {
      if (p < 1 || static_cast<size_t>(p) > column_of_.size()) return std::nullopt;
      ColumnType t = row[column_of_[p - 1]].column_type;
      if (type && *type != t) return std::nullopt;
      type = t;
    }
    return type;
  };
  bool first = true;
  for (const Op& op : ops) {
    if (op.opcode != "ResultRow" || op.p2 != columns) continue;
    for (int c = 0; c < columns; ++c) {
      auto t = type_of(op.p1 + c);
      auto& slot = types[static_cast<size_t>(c)];
      if (first) {
        slot = t;
      } else if (slot != t) {
        slot.reset();
      }
    }
    first = false;
  }
  return types;
}

}  // namespace wifgate::sql
