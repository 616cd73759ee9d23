// Decoding of a query-request reply's `data` (rowtype + rowset, JSON result format) into a
// typed ResultSet, per spec snowflake-rest.md §4.5: every cell is a JSON string whose
// meaning depends on its column's type, or JSON null for SQL NULL.
#ifndef WIFGATE_CLIENT_ROWSET_H_
#define WIFGATE_CLIENT_ROWSET_H_

#include <boost/json/object.hpp>
#include <string_view>

#include "wifgate/result_set.h"
#include "wifgate/status.h"

namespace wifgate::client {

// One cell's wire text for `column`. Fails with client.bad_cell naming the column and type
// (never the value: cells may be confidential).
Result<Value> DecodeCell(const Column& column, std::string_view text);

// The whole reply. Fails with client.bad_result when rowtype/rowset are missing or
// malformed, or when the server sent a non-JSON (Arrow) result.
Result<ResultSet> DecodeQueryResult(const boost::json::object& data);

}  // namespace wifgate::client

#endif  // WIFGATE_CLIENT_ROWSET_H_
