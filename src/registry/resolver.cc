#include "registry/resolver.h"

#include <algorithm>
#include <vector>

#include "common/strings.h"

namespace wifgate::registry {
namespace {

using verify::Provider;

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

bool Near(std::string_view a, std::string_view b) {
  std::string la = AsciiLower(a), lb = AsciiLower(b);
  if (la.empty() || lb.empty()) return false;
  return EditDistance(la, lb) <= std::max<size_t>(2, std::min(la.size(), lb.size()) / 4) ||
         la.find(lb) != std::string::npos || lb.find(la) != std::string::npos;
}

std::string Where(const User& u, const WorkloadIdentity& w) {
  return "identity " + w.name + " of user " + u.name;
}

Status Miss(const verify::VerifiedIdentity& id, std::string key, std::string why) {
  std::string client = "no user is registered for the workload identity " + id.Describe();
  return Status(
      Code::kPermissionDenied, "registry.identity_not_registered",
      "no workload identity registered for " + id.Describe() + " (key " + key + "); " + why,
      client);
}

std::string ExplainAwsMiss(const Snapshot& snap, const verify::AwsPrincipal& p) {
  std::vector<std::string> same_account, near, elsewhere, notes;
  for (const auto& u : snap.state().users) {
    for (const auto& w : u.identities) {
      if (w.type != Provider::kAws) continue;
      auto parsed = verify::ParseAwsArn(w.arn);
      if (!parsed.ok()) continue;
      bool is_user = parsed->kind == verify::ParsedAwsArn::Kind::kUser;
      bool same_kind = is_user == (p.type == verify::AwsPrincipalType::kUser);
      if (parsed->partition == p.partition && parsed->account == p.account) {
        same_account.push_back(w.arn + " (" + Where(u, w) + ")");
        if (same_kind && Near(parsed->name, p.name)) {
          near.push_back("'" + parsed->name + "' in " + w.arn + " is close to '" + p.name + "'");
        }
        if (!same_kind && AsciiEqualsIgnoreCase(parsed->name, p.name)) {
          notes.push_back(w.arn + " registers an IAM " + (is_user ? "user" : "role") +
                          " of that name, but the caller is an IAM " + (is_user ? "role" : "user"));
        }
        for (auto segment : Split(parsed->path, '/')) {
          if (!segment.empty() && AsciiEqualsIgnoreCase(segment, p.name)) {
            notes.push_back(w.arn + " has '" + std::string(segment) +
                            "' as a path segment; the role name there is '" + parsed->name +
                            "' (roles match by name; the path is never part of the key)");
          }
        }
      } else if (AsciiEqualsIgnoreCase(parsed->name, p.name) && same_kind) {
        elsewhere.push_back(w.arn + " (" + Where(u, w) + ") is in " +
                            (parsed->partition != p.partition ? "partition " + parsed->partition
                                                              : "account " + parsed->account) +
                            ", the caller in " +
                            (parsed->partition != p.partition ? "partition " + p.partition
                                                              : "account " + p.account));
      }
    }
  }
  std::string out;
  if (same_account.empty()) {
    out = "no AWS identity is registered in account " + p.account + " (partition " + p.partition +
          ")";
  } else {
    out = "registered AWS identities in that account: " + Join(same_account, ", ");
  }
  if (!near.empty()) out += "; near matches: " + Join(near, "; ");
  if (!notes.empty()) out += "; note: " + Join(notes, "; ");
  if (!elsewhere.empty()) out += "; same name elsewhere: " + Join(elsewhere, "; ");
  out += ". Register it with ALTER USER <user> ADD WORKLOAD IDENTITY <name> TYPE = AWS ARN = '" +
         std::string("arn:") + p.partition + ":iam::" + p.account + ":" +
         (p.type == verify::AwsPrincipalType::kRole ? "role/" : "user/") + p.name + "'";
  return out;
}

std::string StripSlash(std::string_view s) {
  while (s.ends_with('/')) s.remove_suffix(1);
  return std::string(s);
}

std::string ExplainJwtMiss(const Snapshot& snap, Provider provider, const verify::JwtSubject& j) {
  std::vector<std::string> same_issuer, near, other_issuer;
  size_t same_issuer_count = 0;
  for (const auto& u : snap.state().users) {
    for (const auto& w : u.identities) {
      if (w.type == Provider::kAws) continue;
      if (w.issuer == j.issuer) {
        ++same_issuer_count;
        if (Near(w.subject, j.subject)) {
          near.push_back("subject '" + w.subject + "' (" + Where(u, w) + ")");
        } else if (same_issuer.size() < 5) {
          same_issuer.push_back("'" + w.subject + "' (" + Where(u, w) + ")");
        }
      } else if (w.subject == j.subject) {
        std::string why = StripSlash(w.issuer) == StripSlash(j.issuer)
                              ? " — the issuers differ only by a trailing slash; the token's "
                                "iss must match ISSUER exactly"
                              : "";
        other_issuer.push_back("issuer '" + w.issuer + "' (" + Where(u, w) + ")" + why);
      }
    }
  }
  std::string out;
  if (same_issuer_count == 0) {
    out = "no identity is registered for issuer " + j.issuer;
  } else {
    out = std::to_string(same_issuer_count) + " identities are registered for that issuer";
    if (!same_issuer.empty()) out += ", e.g. subjects " + Join(same_issuer, ", ");
  }
  if (!near.empty()) out += "; near matches: " + Join(near, ", ");
  if (!other_issuer.empty())
    out += "; the same subject is registered under " + Join(other_issuer, ", ");
  if (provider == Provider::kGcp) {
    out += ". GCP identities are registered by the service account's numeric uniqueId";
  }
  return out;
}

}  // namespace

Result<Principal> Resolve(std::shared_ptr<const Snapshot> snapshot,
                          const verify::VerifiedIdentity& id) {
  std::string key = verify::IdentityKey(id);
  const Snapshot::Entry* entry = snapshot->FindByKey(key);
  if (entry == nullptr) {
    std::string why = id.aws   ? ExplainAwsMiss(*snapshot, *id.aws)
                      : id.jwt ? ExplainJwtMiss(*snapshot, id.provider, *id.jwt)
                               : "the verified identity carries neither an AWS principal nor a "
                                 "token subject";
    return Miss(id, key, why);
  }
  const WorkloadIdentity& w = *entry->identity;
  const std::string where = Where(*entry->user, w);
  if (w.type != id.provider) {
    return Miss(id, key,
                where + " has that key but is registered as TYPE = " +
                    std::string(verify::ProviderName(w.type)) + " and the login used provider " +
                    std::string(verify::ProviderName(id.provider)) +
                    "; the provider must match the registration");
  }
  if (w.type == Provider::kAws) {
    auto parsed = verify::ParseAwsArn(w.arn);
    if (parsed.ok() && parsed->kind == verify::ParsedAwsArn::Kind::kAssumedRole &&
        parsed->session != id.aws->session) {
      return Miss(id, key,
                  where + " registers " + w.arn + ", which is pinned to session '" +
                      parsed->session + "', but the caller's session is '" + id.aws->session +
                      "'; register the role ARN (arn:" + parsed->partition + ":iam::" +
                      parsed->account + ":role/" + parsed->name + ") to accept any session");
    }
    if (id.jwt) {  // the AWS outbound JWT method
      if (w.issuer.empty()) {
        return Miss(id, key,
                    where + " has no ISSUER, which the AWS JWT method requires; set ISSUER = '" +
                        id.jwt->issuer + "' with ALTER USER … SET WORKLOAD_IDENTITY");
      }
      if (w.issuer != id.jwt->issuer) {
        return Miss(id, key,
                    where + " has ISSUER '" + w.issuer + "' but the token came from '" +
                        id.jwt->issuer + "'");
      }
    }
  }
  return Principal{std::move(snapshot), entry->user, entry->identity};
}

}  // namespace wifgate::registry
