// BindPlan: how one prepared SQLite statement takes a request's binds.
//
// SQLite numbers a statement's markers itself: `?` by position, `?N` by N, and `:1`,
// `:name` (and `@name`, `$name`) by name, a repeated name sharing one parameter. Each
// parameter must find the binding of that name ("1", "2", … for positional markers), and
// each binding must be used, so that a typo fails loudly instead of binding NULL.
#ifndef WIFGATE_SQL_BIND_PLAN_H_
#define WIFGATE_SQL_BIND_PLAN_H_

#include <optional>
#include <string_view>
#include <vector>

#include "sql/binds.h"
#include "sql/result_set.h"
#include "wifgate/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace wifgate::sql {

class BindPlan {
 public:
  // Fails with sql.bind_variable naming the marker without a binding, or the binding
  // without a marker.
  static Result<BindPlan> Make(sqlite3_stmt* stmt, const Binds& binds);

  // Binds one row of values (in Binds::names order) to the statement's parameters.
  Status BindRow(sqlite3* db, sqlite3_stmt* stmt, const std::vector<BoundValue>& row) const;

  // For each of the statement's `columns` result columns, the bind type when the column is
  // just one marker's value (`SELECT ? AS flag`), read from the statement's bytecode
  // (EXPLAIN: a result register filled by a Variable op, possibly through Copy); nullopt
  // elsewhere. `sql` is the one statement that was prepared; `row` the first row of values.
  std::vector<std::optional<ColumnType>> MarkerColumnTypes(
      sqlite3* db, std::string_view sql, int columns, const std::vector<BoundValue>& row) const;

 private:
  explicit BindPlan(std::vector<size_t> column_of) : column_of_(std::move(column_of)) {}

  std::vector<size_t> column_of_;  // parameter index - 1 → index into Binds::names
};

// Gives each column of `rs` that has a marker type (from MarkerColumnTypes) that type when
// every value in it fits the type (a BOOLEAN column holds only 0, 1 and NULL, …), so a
// marker the bytecode analysis got wrong can never change a value.
void ApplyMarkerTypes(ResultSet& rs, const std::vector<std::optional<ColumnType>>& types);

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_BIND_PLAN_H_
