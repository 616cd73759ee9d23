#include "sql/result_set.h"

#include <algorithm>
#include <boost/json.hpp>

#include "common/json.h"
#include "common/time_format.h"

namespace wifgate::sql {

std::string_view ColumnTypeName(ColumnType t) {
  switch (t) {
    case ColumnType::kText:
      return "TEXT";
    case ColumnType::kFixed:
      return "FIXED";
    case ColumnType::kReal:
      return "REAL";
    case ColumnType::kBoolean:
      return "BOOLEAN";
    case ColumnType::kTimestampLtz:
      return "TIMESTAMP_LTZ";
    case ColumnType::kObject:
      return "OBJECT";
    case ColumnType::kArray:
      return "ARRAY";
  }
  return "TEXT";
}

ResultSet ResultSet::Status(std::string message) {
  ResultSet rs;
  rs.columns.push_back({"status", ColumnType::kText});
  rs.rows.push_back({Cell(std::move(message))});
  return rs;
}

std::string CellText(const Cell& cell, ColumnType type) {
  if (std::holds_alternative<std::monostate>(cell)) return "NULL";
  if (const auto* b = std::get_if<bool>(&cell)) return *b ? "true" : "false";
  if (const auto* d = std::get_if<double>(&cell)) return std::to_string(*d);
  if (const auto* i = std::get_if<int64_t>(&cell)) {
    if (type == ColumnType::kTimestampLtz) return FormatRfc3339(FromUnixSeconds(*i));
    return std::to_string(*i);
  }
  return std::get<std::string>(cell);
}

std::string FormatTable(const ResultSet& rs) {
  std::vector<size_t> width;
  for (const auto& c : rs.columns) width.push_back(c.name.size());
  std::vector<std::vector<std::string>> text;
  for (const auto& row : rs.rows) {
    auto& line = text.emplace_back();
    for (size_t i = 0; i < row.size() && i < rs.columns.size(); ++i) {
      std::string s = CellText(row[i], rs.columns[i].type);
      std::replace(s.begin(), s.end(), '\n', ' ');
      width[i] = std::max(width[i], s.size());
      line.push_back(std::move(s));
    }
  }
  std::string out, rule = "+";
  for (size_t w : width) rule += std::string(w + 2, '-') + "+";
  rule += "\n";
  auto emit = [&](const std::vector<std::string>& cells) {
    out += "|";
    for (size_t i = 0; i < width.size(); ++i) {
      std::string s = i < cells.size() ? cells[i] : "";
      out += " " + s + std::string(width[i] - s.size(), ' ') + " |";
    }
    out += "\n";
  };
  out += rule;
  std::vector<std::string> header;
  for (const auto& c : rs.columns) header.push_back(c.name);
  emit(header);
  out += rule;
  for (const auto& line : text) emit(line);
  if (!text.empty()) out += rule;
  out += std::to_string(rs.rows.size()) + (rs.rows.size() == 1 ? " row\n" : " rows\n");
  return out;
}

std::string FormatJson(const ResultSet& rs) {
  boost::json::array out;
  for (const auto& row : rs.rows) {
    boost::json::object obj;
    for (size_t i = 0; i < row.size() && i < rs.columns.size(); ++i) {
      const Cell& cell = row[i];
      const Column& col = rs.columns[i];
      boost::json::value v;
      if (const auto* b = std::get_if<bool>(&cell)) {
        v = *b;
      } else if (const auto* n = std::get_if<int64_t>(&cell)) {
        v = col.type == ColumnType::kTimestampLtz
                ? boost::json::value(FormatRfc3339(FromUnixSeconds(*n)))
                : boost::json::value(*n);
      } else if (const auto* d = std::get_if<double>(&cell)) {
        v = *d;
      } else if (const auto* s = std::get_if<std::string>(&cell)) {
        v = *s;
        if (col.type == ColumnType::kObject || col.type == ColumnType::kArray) {
          auto parsed = ParseStrictJson(*s);
          if (parsed.ok()) v = std::move(*parsed);
        }
      }
      obj[col.name] = std::move(v);
    }
    out.push_back(std::move(obj));
  }
  return ToJson(out);
}

}  // namespace wifgate::sql
