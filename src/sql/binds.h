// Binds: the values a client sends with a statement for its bind markers (`?`, `:1`,
// `:name`), checked and converted from Snowflake's wire form — a type name and a string —
// to what SQLite stores. Values are always bound as SQLite parameters, never spliced into
// the SQL text.
//
// Conversions (../docs/sql.md "Bind variables"):
//   FIXED    integer → INTEGER; beyond int64 → its digits as TEXT; with a fraction → REAL
//            when the double reads back as the same decimal, else the exact digits as TEXT
//   REAL     → REAL (Infinity allowed; NaN refused, SQLite would store NULL)
//   TEXT     → TEXT;  BOOLEAN "true"/"false"/"1"/"0" → 1/0;  VARIANT/OBJECT/ARRAY → JSON text
//   DATE     epoch milliseconds → 'YYYY-MM-DD' (the UTC day)
//   TIME     nanoseconds since midnight → 'HH:MM:SS[.fffffffff]'
//   TIMESTAMP_NTZ/LTZ/TZ  epoch nanoseconds [TZ: and offset+1440] → 'YYYY-MM-DD HH:MM:SS[.f…]' UTC
//   ANY (and a null value of any known type) → NULL;  BINARY is refused (no binary type)
// Array binds (one array of values per marker) run the statement once per row.
#ifndef WIFGATE_SQL_BINDS_H_
#define WIFGATE_SQL_BINDS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sql/result_set.h"
#include "wifgate/status.h"

namespace wifgate::sql {

// The most rows one array bind may carry; the request body cap bounds the bytes.
inline constexpr size_t kMaxBindRows = 10000;
// The most bind variables one statement may take; the engine sets SQLite's parameter limit
// to it. Below SQLite's default (32766) because SQLite finds named parameters by a linear
// scan: preparing a statement with n `:name` markers costs n², seconds at 32766 (under the
// engine lock, outside the statement timeout) and milliseconds at this limit.
inline constexpr size_t kMaxBindVariables = 4096;
// The most values (rows x variables) one statement may take. Each value is held three times
// while a request is decoded (JSON, wire strings, converted values), so this, not the row
// cap, bounds a request's memory: a body of nulls costs ~100 bytes per value.
inline constexpr size_t kMaxBindCells = 500000;

// NULL, INTEGER, REAL or TEXT, as SQLite receives it.
using BindValue = std::variant<std::monostate, int64_t, double, std::string>;

struct BoundValue {
  BindValue value;
  // The type of a result column that is just this marker (`SELECT ?`): SQLite only knows
  // storage classes, so without it a BOOLEAN would come back as a number.
  ColumnType column_type = ColumnType::kText;
};

// One entry of a request's bindings map, as the client sent it.
struct BindColumn {
  std::string name;  // "1", "2", … for positional markers; the name for `:name`
  std::string type;  // FIXED, REAL, TEXT, …
  std::vector<std::optional<std::string>> values;  // one per row
  bool array = false;                              // an array (multi-row) bind
};

struct Binds {
  std::vector<std::string> names;             // one per bind column, as sent
  std::vector<std::vector<BoundValue>> rows;  // values in `names` order; one row unless array
  bool array = false;

  bool empty() const { return names.empty(); }
};

// A client-chosen string (a binding's name or type) single-quoted for an error message,
// cut to 64 bytes (at a UTF-8 boundary) so that an error never echoes megabytes back.
std::string QuoteForError(std::string_view text);

// One value of bind `name`. Fails with sql.bind_value naming the bind and what it expects.
Result<BoundValue> ConvertBind(std::string_view name, std::string_view type,
                               const std::optional<std::string>& value);

// All of a request's binds: converts every value and checks that array binds are all
// arrays of one length, within kMaxBindRows, kMaxBindVariables and kMaxBindCells.
Result<Binds> MakeBinds(const std::vector<BindColumn>& columns);

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_BINDS_H_
