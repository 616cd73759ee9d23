#include "server/rowset_encoding.h"

#include <charconv>
#include <cmath>

#include "common/strings.h"
#include "sql/lexer.h"

namespace wifgate::server {
namespace {

namespace json = boost::json;

constexpr int kTimestampScale = 9;

json::object RowType(const sql::Column& column) {
  json::object t;
  t["name"] = column.name;
  t["database"] = "";
  t["schema"] = "";
  t["table"] = "";
  t["nullable"] = true;
  t["collation"] = nullptr;
  t["length"] = nullptr;
  t["byteLength"] = nullptr;
  t["precision"] = nullptr;
  t["scale"] = nullptr;
  switch (column.type) {
    case sql::ColumnType::kText:
      t["type"] = "text";
      t["length"] = 16777216;
      t["byteLength"] = 16777216;
      break;
    case sql::ColumnType::kFixed:
      t["type"] = "fixed";
      t["precision"] = 38;
      t["scale"] = 0;  // integers: Python yields int only for scale 0
      break;
    case sql::ColumnType::kReal:
      t["type"] = "real";
      break;
    case sql::ColumnType::kBoolean:
      t["type"] = "boolean";
      break;
    case sql::ColumnType::kTimestampLtz:
      t["type"] = "timestamp_ltz";
      t["precision"] = 0;
      t["scale"] = kTimestampScale;
      break;
    case sql::ColumnType::kObject:
      t["type"] = "object";
      break;
    case sql::ColumnType::kArray:
      t["type"] = "array";
      break;
  }
  return t;
}

std::string EncodeReal(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

}  // namespace

int64_t StatementTypeId(std::string_view sql) {
  auto tokens = sql::Lex(sql);
  if (!tokens.ok() || tokens->empty() || (*tokens)[0].kind != sql::TokenKind::kWord) return 0;
  const std::string& first = (*tokens)[0].text;
  if (first == "SELECT" || first == "WITH" || first == "VALUES") return 0x1000;
  if (first == "INSERT") return 0x3100;
  if (first == "UPDATE") return 0x3200;
  if (first == "DELETE") return 0x3300;
  if (first == "MERGE") return 0x3400;
  if (first == "USE") return 0x4300;
  if (first == "SHOW") return 0x4400;
  if (first == "DESC" || first == "DESCRIBE") return 0x4500;
  if (first == "BEGIN" || first == "COMMIT" || first == "ROLLBACK") return 0x5000;
  if (first == "CREATE" || first == "ALTER" || first == "DROP" || first == "GRANT" ||
      first == "REVOKE") {
    return 0x6000;
  }
  return 0;
}

std::optional<std::string> EncodeCell(const sql::Cell& cell, sql::ColumnType type) {
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? "1" : "0";
  if (const auto* d = std::get_if<double>(&cell)) return EncodeReal(*d);
  if (const auto* i = std::get_if<int64_t>(&cell)) {
    if (type == sql::ColumnType::kTimestampLtz) {
      return std::to_string(*i) + "." + std::string(kTimestampScale, '0');
    }
    if (type == sql::ColumnType::kBoolean) return *i != 0 ? "1" : "0";
    return std::to_string(*i);
  }
  return std::get<std::string>(cell);
}

json::object EncodeQueryData(const sql::ResultSet& rs, const QueryReplyInfo& info,
                             json::array parameters) {
  json::array rowtype;
  for (const auto& c : rs.columns) rowtype.push_back(RowType(c));
  json::array rowset;
  for (const auto& row : rs.rows) {
    json::array r;
    for (size_t i = 0; i < row.size() && i < rs.columns.size(); ++i) {
      auto text = EncodeCell(row[i], rs.columns[i].type);
      r.push_back(text ? json::value(*text) : json::value(nullptr));
    }
    rowset.push_back(std::move(r));
  }
  auto name_or_null = [](const std::string& s) {
    return s.empty() ? json::value(nullptr) : json::value(s);
  };
  json::object data;
  data["parameters"] = std::move(parameters);
  data["rowtype"] = std::move(rowtype);
  data["rowset"] = std::move(rowset);
  data["total"] = rs.rows.size();
  data["returned"] = rs.rows.size();
  data["queryId"] = info.query_id;
  data["queryResultFormat"] = "json";  // lower-case: Python reads anything else as Arrow
  data["statementTypeId"] = info.statement_type_id;
  data["version"] = 1;
  data["finalDatabaseName"] = name_or_null(info.database);
  data["finalSchemaName"] = name_or_null(info.schema);
  data["finalWarehouseName"] = name_or_null(info.warehouse);
  data["finalRoleName"] = info.role;
  data["databaseProvider"] = nullptr;
  data["numberOfBinds"] = info.number_of_binds;
  // Array binds run for statements that return no rows (sql::Executor), i.e. DML.
  data["arrayBindSupported"] = (info.statement_type_id & 0xF000) == 0x3000;
  data["sendResultTime"] = info.send_result_time_ms;
  data["queryContext"] = nullptr;
  return data;
}

}  // namespace wifgate::server
