#include "common/base64.h"

#include <array>
#include <cstdint>

namespace wifgate {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Encode(std::string_view data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(data[k])); };
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += alphabet[n >> 6 & 63];
    out += alphabet[n & 63];
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t n = byte(i) << 16;
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    uint32_t n = byte(i) << 16 | byte(i + 1) << 8;
    out += alphabet[n >> 18 & 63];
    out += alphabet[n >> 12 & 63];
    out += alphabet[n >> 6 & 63];
    if (pad) out += '=';
  }
  return out;
}

std::array<int8_t, 256> MakeTable(const char* alphabet) {
  std::array<int8_t, 256> t;
  t.fill(-1);
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}

// Decodes unpadded base64 text (its length mod 4 must not be 1) with the given table.
std::optional<std::string> DecodeUnpadded(std::string_view text,
                                          const std::array<int8_t, 256>& table) {
  size_t tail = text.size() % 4;
  if (tail == 1) return std::nullopt;
  // Sized once and filled four characters (three bytes) at a time: tokens are decoded on
  // every login, and appending byte by byte showed in the verifier's profile.
  std::string out(text.size() / 4 * 3 + (tail == 0 ? 0 : tail - 1), '\0');
  auto value = [&](size_t k) { return table[static_cast<uint8_t>(text[k])]; };
  size_t o = 0;
  size_t i = 0;
  for (; i + 4 <= text.size(); i += 4) {
    int8_t a = value(i), b = value(i + 1), c = value(i + 2), d = value(i + 3);
    if ((a | b | c | d) < 0) return std::nullopt;
    uint32_t n = static_cast<uint32_t>(a) << 18 | static_cast<uint32_t>(b) << 12 |
                 static_cast<uint32_t>(c) << 6 | static_cast<uint32_t>(d);
    out[o++] = static_cast<char>(n >> 16);
    out[o++] = static_cast<char>(n >> 8 & 0xFF);
    out[o++] = static_cast<char>(n & 0xFF);
  }
  if (tail == 0) return out;
  // Two or three characters left: one or two bytes, and the unused low bits of the last
  // character must be zero for the encoding to be canonical.
  int8_t a = value(i), b = value(i + 1), c = tail == 3 ? value(i + 2) : 0;
  if ((a | b | c) < 0) return std::nullopt;
  uint32_t n = static_cast<uint32_t>(a) << 18 | static_cast<uint32_t>(b) << 12 |
               static_cast<uint32_t>(c) << 6;
  out[o++] = static_cast<char>(n >> 16);
  if (tail == 3) out[o++] = static_cast<char>(n >> 8 & 0xFF);
  uint32_t unused = tail == 2 ? (n & 0xFFFF) : (n & 0xFF);
  if (unused != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string Base64Encode(std::string_view data) { return Encode(data, kStd, true); }
std::string Base64UrlEncode(std::string_view data) { return Encode(data, kUrl, false); }

std::optional<std::string> Base64Decode(std::string_view text) {
  static const auto table = MakeTable(kStd);
  if (text.size() % 4 != 0) return std::nullopt;
  size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  return DecodeUnpadded(text.substr(0, text.size() - pad), table);
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  static const auto table = MakeTable(kUrl);
  return DecodeUnpadded(text, table);
}

}  // namespace wifgate
