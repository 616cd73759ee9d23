// ResultSet as JSON, for `wifgate query --json` and Lambda function replies.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cmath>

#include "common/json.h"
#include "wifgate/result_set.h"

namespace wifgate {
namespace {

boost::json::value CellJson(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kInt64:
      return v.int64();
    case Value::Kind::kBool:
      return v.boolean();
    case Value::Kind::kDouble:
      if (std::isfinite(v.as_double())) return v.as_double();
      return boost::json::string(v.ToString());  // JSON has no NaN or infinities
    default:
      return boost::json::string(v.ToString());
  }
}

boost::json::array RowsArray(const ResultSet& rs) {
  boost::json::array rows;
  for (const Row& row : rs.rows) {
    boost::json::array cells;
    for (const Value& v : row) cells.push_back(CellJson(v));
    rows.push_back(std::move(cells));
  }
  return rows;
}

}  // namespace

std::string RowsToJson(const ResultSet& rs) { return ToJson(RowsArray(rs)); }

std::string ResultSetToJson(const ResultSet& rs) {
  boost::json::array columns;
  for (const Column& c : rs.columns) {
    columns.push_back(boost::json::object{{"name", c.name}, {"type", c.type_name}});
  }
  return ToJson(boost::json::object{{"columns", std::move(columns)}, {"rows", RowsArray(rs)}});
}

}  // namespace wifgate
