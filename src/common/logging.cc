#include "common/logging.h"

#include <atomic>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "common/time_format.h"

namespace wifgate {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::atomic<LogFormat> g_format{LogFormat::kJson};
std::mutex g_write_mutex;

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kOff:
      return "off";
  }
  return "?";
}

// A value longer than this is cut (at a UTF-8 character boundary) and marked, so that one
// oversized input cannot flood the log (security.md INJ-03).
constexpr size_t kMaxLoggedValueBytes = 4096;

boost::json::value StringValue(std::string_view x) {
  if (x.size() <= kMaxLoggedValueBytes) return boost::json::string(x.data(), x.size());
  size_t cut = kMaxLoggedValueBytes;
  while (cut > 0 && (static_cast<unsigned char>(x[cut]) & 0xc0) == 0x80) --cut;
  std::string out(x.substr(0, cut));
  out += "...[truncated; " + std::to_string(x.size()) + " bytes in all]";
  return boost::json::string(out);
}

boost::json::value ToJsonValue(const LogValue& v) {
  return std::visit(
      [](const auto& x) -> boost::json::value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          return StringValue(x);
        } else {
          return x;
        }
      },
      v);
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }
void SetLogFormat(LogFormat format) { g_format = format; }
bool LogEnabled(LogLevel level) { return level != LogLevel::kOff && level >= g_level.load(); }

bool ParseLogLevel(std::string_view name, LogLevel* out) {
  for (LogLevel l :
       {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError, LogLevel::kOff}) {
    if (name == LevelName(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  std::string line;
  std::string ts = FormatRfc3339(std::chrono::system_clock::now());
  if (g_format.load() == LogFormat::kJson) {
    boost::json::object obj;
    obj["ts"] = ts;
    obj["level"] = LevelName(level);
    obj["event"] = event;
    for (const auto& [key, value] : fields) obj[key] = ToJsonValue(value);
    line = boost::json::serialize(obj);
  } else {
    line = ts + " " + std::string(LevelName(level)) + " " + std::string(event);
    for (const auto& [key, value] : fields) {
      // Values are serialised as JSON so that quotes and newlines stay escaped.
      line += " " + std::string(key) + "=" + boost::json::serialize(ToJsonValue(value));
    }
  }
  line += '\n';
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string Redact(std::string_view secret) {
  return "<redacted " + std::to_string(secret.size()) + " bytes>";
}

}  // namespace wifgate
