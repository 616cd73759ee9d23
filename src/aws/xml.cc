#include "aws/xml.h"

#include <cstdint>

#include "common/strings.h"

namespace wifgate::aws {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':';
}
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  Parser(std::string_view doc, const XmlLimits& limits) : doc_(doc), limits_(limits) {}

  Result<XmlElement> Document() {
    if (doc_.size() > limits_.max_bytes) {
      return Fail("the document is larger than " + std::to_string(limits_.max_bytes) + " bytes");
    }
    if (doc_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    if (doc_.substr(pos_).starts_with("<?xml")) {
      const size_t end = doc_.find("?>", pos_);
      if (end == std::string_view::npos) return Fail("unterminated XML declaration");
      pos_ = end + 2;
    }
    SkipSpace();
    XmlElement root;
    WIFGATE_RETURN_IF_ERROR(Element(root, 1));
    SkipSpace();
    if (pos_ != doc_.size()) return Fail("content after the root element");
    return root;
  }

 private:
  Status Fail(const std::string& what) const {
    return Status(Code::kInvalidArgument, "aws.xml_malformed",
                  "malformed XML response at byte " + std::to_string(pos_) + ": " + what);
  }

  void SkipSpace() {
    while (pos_ < doc_.size() && IsSpace(doc_[pos_])) ++pos_;
  }

  Result<std::string> Name() {
    const size_t start = pos_;
    while (pos_ < doc_.size() && IsNameChar(doc_[pos_])) ++pos_;
    if (pos_ == start) return Fail("expected a name");
    return std::string(doc_.substr(start, pos_ - start));
  }

  // Decodes character data up to the next '<' (or the closing quote of an attribute).
  Status CharData(char stop, std::string& out) {
    while (pos_ < doc_.size() && doc_[pos_] != stop) {
      const char c = doc_[pos_];
      if (c == '<' || c == '>') return Fail("unexpected markup character");
      if (c != '&') {
        out += c;
        ++pos_;
        continue;
      }
      const size_t semi = doc_.find(';', pos_);
      if (semi == std::string_view::npos || semi - pos_ > 10) return Fail("bad entity reference");
      const std::string_view ref = doc_.substr(pos_ + 1, semi - pos_ - 1);
      if (ref == "lt")
        out += '<';
      else if (ref == "gt")
        out += '>';
      else if (ref == "amp")
        out += '&';
      else if (ref == "quot")
        out += '"';
      else if (ref == "apos")
        out += '\'';
      else if (ref.starts_with("#")) {
        WIFGATE_RETURN_IF_ERROR(CharRef(ref.substr(1), out));
      } else {
        return Fail("undefined entity");
      }
      pos_ = semi + 1;
    }
    return Status::Ok();
  }

  Status CharRef(std::string_view digits, std::string& out) {
    const bool hex = digits.starts_with("x");
    if (hex) digits.remove_prefix(1);
    if (digits.empty()) return Fail("empty character reference");
    uint32_t cp = 0;
    for (char d : digits) {
      int v = -1;
      if (d >= '0' && d <= '9')
        v = d - '0';
      else if (hex && d >= 'a' && d <= 'f')
        v = d - 'a' + 10;
      else if (hex && d >= 'A' && d <= 'F')
        v = d - 'A' + 10;
      if (v < 0) return Fail("bad character reference");
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
      if (cp > 0x10FFFF) return Fail("character reference out of range");
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return Fail("invalid character reference");
    AppendUtf8(cp, out);
    return Status::Ok();
  }

  Status Attributes() {
    while (true) {
      SkipSpace();
      if (pos_ >= doc_.size()) return Fail("unterminated start tag");
      if (doc_[pos_] == '>' || doc_[pos_] == '/') return Status::Ok();
      WIFGATE_ASSIGN_OR_RETURN(std::string name, Name());
      SkipSpace();
      if (pos_ >= doc_.size() || doc_[pos_] != '=') return Fail("attribute without value");
      ++pos_;
      SkipSpace();
      if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) {
        return Fail("unquoted attribute value");
      }
      const char quote = doc_[pos_++];
      std::string ignored;
      WIFGATE_RETURN_IF_ERROR(CharData(quote, ignored));
      if (pos_ >= doc_.size()) return Fail("unterminated attribute value");
      ++pos_;
    }
  }

  Status Element(XmlElement& out, size_t depth) {
    if (depth > limits_.max_depth) return Fail("elements nested too deeply");
    if (pos_ >= doc_.size() || doc_[pos_] != '<') return Fail("expected an element");
    ++pos_;
    if (pos_ < doc_.size() && (doc_[pos_] == '!' || doc_[pos_] == '?')) {
      return Fail("DOCTYPE, comments, CDATA and processing instructions are not accepted");
    }
    WIFGATE_ASSIGN_OR_RETURN(out.name, Name());
    WIFGATE_RETURN_IF_ERROR(Attributes());
    if (doc_[pos_] == '/') {
      if (pos_ + 1 >= doc_.size() || doc_[pos_ + 1] != '>') return Fail("bad empty-element tag");
      pos_ += 2;
      return Status::Ok();
    }
    ++pos_;  // '>'
    std::string text;
    while (true) {
      WIFGATE_RETURN_IF_ERROR(CharData('<', text));
      if (pos_ >= doc_.size()) return Fail("unterminated element <" + out.name + ">");
      if (doc_.substr(pos_).starts_with("</")) break;
      out.children.emplace_back();
      WIFGATE_RETURN_IF_ERROR(Element(out.children.back(), depth + 1));
    }
    pos_ += 2;
    WIFGATE_ASSIGN_OR_RETURN(std::string closing, Name());
    SkipSpace();
    if (closing != out.name || pos_ >= doc_.size() || doc_[pos_] != '>') {
      return Fail("end tag does not match <" + out.name + ">");
    }
    ++pos_;
    if (!out.children.empty()) {
      if (!TrimWhitespace(text).empty()) return Fail("text beside child elements");
    } else {
      out.text = std::move(text);
    }
    return Status::Ok();
  }

  std::string_view doc_;
  XmlLimits limits_;
  size_t pos_ = 0;
};

}  // namespace

Result<XmlElement> ParseXml(std::string_view document, const XmlLimits& limits) {
  return Parser(document, limits).Document();
}

Result<const XmlElement*> FindUniquePath(const XmlElement& root,
                                         std::initializer_list<std::string_view> path) {
  const XmlElement* current = &root;
  for (std::string_view step : path) {
    const XmlElement* found = nullptr;
    for (const XmlElement& child : current->children) {
      if (child.name != step) continue;
      if (found != nullptr) {
        return Status(Code::kInvalidArgument, "aws.xml_duplicate_field",
                      "the response has more than one <" + std::string(step) + "> in <" +
                          current->name + ">; refusing an ambiguous response");
      }
      found = &child;
    }
    if (found == nullptr) {
      return Status(Code::kInvalidArgument, "aws.xml_missing_field",
                    "the response has no <" + std::string(step) + "> in <" + current->name + ">");
    }
    current = found;
  }
  return current;
}

}  // namespace wifgate::aws
