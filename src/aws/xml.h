// A strict, minimal XML reader for AWS query-protocol responses (STS, IMDS errors).
//
// AWS responses use a tiny subset of XML: nested elements, namespace attributes, text and
// the predefined entities. Anything beyond that — a DOCTYPE (and with it entity expansion
// and external entities), processing instructions other than the leading XML declaration,
// CDATA, comments, text beside child elements, a second root — is refused rather than
// interpreted, so a response cannot mean different things to us and to another parser.
#ifndef WIFGATE_AWS_XML_H_
#define WIFGATE_AWS_XML_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "wifgate/status.h"

namespace wifgate::aws {

struct XmlElement {
  std::string name;  // as written, including any prefix
  std::string text;  // decoded character data; empty for elements with children
  std::vector<XmlElement> children;
};

struct XmlLimits {
  size_t max_bytes = 64 * 1024;
  size_t max_depth = 16;
};

// Parses one document. Failures have reason aws.xml_malformed and name the byte offset.
Result<XmlElement> ParseXml(std::string_view document, const XmlLimits& limits = {});

// The element reached from `root` by following `path` (child names, root excluded). Fails
// with aws.xml_missing_field when a step is absent and aws.xml_duplicate_field when a step
// matches more than one child: a response with two Arn elements is not trusted.
Result<const XmlElement*> FindUniquePath(const XmlElement& root,
                                         std::initializer_list<std::string_view> path);

}  // namespace wifgate::aws

#endif  // WIFGATE_AWS_XML_H_
