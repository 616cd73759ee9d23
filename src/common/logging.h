// Structured logging: one JSON object per line on stderr (or plain text for humans).
//
// Callers log an event name and typed fields, never preformatted strings, so that values
// are escaped once, here, and a log line cannot be forged by attacker-controlled text.
// Secrets (attestations, tokens, signatures, passwords) are never passed to the logger;
// code that must mention one logs Redact(value) instead.
#ifndef WIFGATE_COMMON_LOGGING_H_
#define WIFGATE_COMMON_LOGGING_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace wifgate {

enum class LogLevel { kDebug, kInfo, kWarn, kError, kOff };
enum class LogFormat { kJson, kText };

void SetLogLevel(LogLevel level);
void SetLogFormat(LogFormat format);
bool LogEnabled(LogLevel level);
// Parses "debug", "info", "warn", "error", "off".
bool ParseLogLevel(std::string_view name, LogLevel* out);

using LogValue = std::variant<std::string_view, int64_t, bool, double>;
using LogField = std::pair<std::string_view, LogValue>;

void Log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields = {});

// "<redacted N bytes>": lets a log say that a secret was there without showing it.
std::string Redact(std::string_view secret);

}  // namespace wifgate

#endif  // WIFGATE_COMMON_LOGGING_H_
