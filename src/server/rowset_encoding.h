// RowsetEncoding: a statement's ResultSet as the `data` of a Snowflake query reply —
// `rowtype` metadata and a `rowset` of strings — in the exact text forms that both the
// Node and the Python connectors decode correctly (specs/snowflake-rest.md §4.2, §4.5):
// FIXED as decimal digits with scale 0, BOOLEAN as "1"/"0", REAL with Infinity/NaN spelled
// as JavaScript reads them, timestamps as epoch seconds with exactly `scale` fraction
// digits, NULL as JSON null.
#ifndef WIFGATE_SERVER_ROWSET_ENCODING_H_
#define WIFGATE_SERVER_ROWSET_ENCODING_H_

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sql/result_set.h"

namespace wifgate::server {

// Snowflake's statementTypeId for a statement, from its first keyword (spec §4.5).
int64_t StatementTypeId(std::string_view sql);

struct QueryReplyInfo {
  std::string query_id;
  int64_t statement_type_id = 0;
  std::string role, database, schema, warehouse;
  int64_t send_result_time_ms = 0;
  size_t number_of_binds = 0;  // the request's bindings
};

// The `data` object of a successful query reply; `parameters` is the session's format
// parameters, which every reply must carry.
boost::json::object EncodeQueryData(const sql::ResultSet& rs, const QueryReplyInfo& info,
                                    boost::json::array parameters);

// One cell's wire text; nullopt for NULL.
std::optional<std::string> EncodeCell(const sql::Cell& cell, sql::ColumnType type);

}  // namespace wifgate::server

#endif  // WIFGATE_SERVER_ROWSET_ENCODING_H_
