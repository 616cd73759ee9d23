// ResultSet: what every statement returns — typed columns and rows with NULLs — and its
// two renderings for `wifgate sql`: an aligned text table and a JSON array of row objects.
// The server turns the same ResultSet into Snowflake's rowset.
#ifndef WIFGATE_SQL_RESULT_SET_H_
#define WIFGATE_SQL_RESULT_SET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace wifgate::sql {

// Snowflake's logical types, as its rowtype metadata names them (lower-case on the wire).
enum class ColumnType { kText, kFixed, kReal, kBoolean, kTimestampLtz, kObject, kArray };
std::string_view ColumnTypeName(ColumnType t);  // "TEXT", "FIXED", …

struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
};

// NULL, or the value in its natural C++ type. Timestamps are Unix seconds (kTimestampLtz);
// OBJECT and ARRAY values are JSON text.
using Cell = std::variant<std::monostate, int64_t, double, bool, std::string>;

struct ResultSet {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;

  // One-row, one-column "status" result, as Snowflake answers DDL.
  static ResultSet Status(std::string message);
};

// "YYYY-MM-DD HH:MM:SS.000 +0000"-style text of a cell, as the table shows it; NULL as "NULL".
std::string CellText(const Cell& cell, ColumnType type);

// An aligned text table with a header, for people.
std::string FormatTable(const ResultSet& rs);
// A JSON array with one object per row (column name → value; OBJECT/ARRAY columns nested).
std::string FormatJson(const ResultSet& rs);

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_RESULT_SET_H_
