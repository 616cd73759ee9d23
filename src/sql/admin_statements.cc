#include "sql/admin_statements.h"

#include <algorithm>
#include <set>

#include "common/strings.h"
#include "common/time_format.h"
#include "registry/identity_rules.h"
#include "registry/password.h"
#include "sql/account_usage.h"
#include "sql/errors.h"

namespace wifgate::sql {
namespace {

using registry::AuthenticationPolicy;
using registry::RegistryState;
using registry::User;
using registry::WorkloadIdentity;
using verify::Provider;

constexpr std::string_view kUserProperties[] = {
    "LOGIN_NAME", "DISPLAY_NAME", "EMAIL",    "TYPE",           "DEFAULT_ROLE",
    "DISABLED",   "COMMENT",      "PASSWORD", "RSA_PUBLIC_KEY", "WORKLOAD_IDENTITY"};
constexpr std::string_view kIdentityProperties[] = {"TYPE", "ARN", "ISSUER", "SUBJECT",
                                                    "OIDC_AUDIENCE_LIST"};
constexpr std::string_view kIdentityModifiable[] = {"DISABLED", "COMMENT"};
constexpr std::string_view kPolicyProperties[] = {"AUTHENTICATION_METHODS",
                                                  "WORKLOAD_IDENTITY_POLICY", "COMMENT"};
constexpr std::string_view kWifPolicyProperties[] = {
    "ALLOWED_PROVIDERS", "ALLOWED_AWS_ACCOUNTS", "ALLOWED_AZURE_ISSUERS", "ALLOWED_OIDC_ISSUERS"};
constexpr std::string_view kMethods[] = {"ALL",
                                         "SAML",
                                         "PASSWORD",
                                         "OAUTH",
                                         "KEYPAIR",
                                         "PROGRAMMATIC_ACCESS_TOKEN",
                                         "WORKLOAD_IDENTITY"};

template <size_t N>
std::string List(const std::string_view (&names)[N]) {
  std::string out;
  for (size_t i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out;
}

template <size_t N>
bool In(const std::string_view (&names)[N], std::string_view name) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

std::string At(const Property& p) {
  return " (line " + std::to_string(p.line) + ", position " + std::to_string(p.column) + ")";
}

template <size_t N>
Status CheckKnown(const std::vector<Property>& props, const std::string_view (&valid)[N],
                  std::string_view where) {
  std::set<std::string> seen;
  for (const auto& p : props) {
    if (!In(valid, p.name)) {
      return SqlError(kInvalidProperty, "invalid property '" + p.name + "' for " +
                                            std::string(where) + At(p) +
                                            "; valid properties: " + List(valid) + ".");
    }
    if (!seen.insert(p.name).second) {
      return SqlError(kInvalidProperty,
                      "property '" + p.name + "' is given twice in " + std::string(where) + ".");
    }
  }
  return Status::Ok();
}

template <size_t N>
Status CheckKnownNames(const std::vector<std::string>& names, const std::string_view (&valid)[N],
                       std::string_view where) {
  for (const auto& n : names) {
    if (!In(valid, n)) {
      return SqlError(kInvalidProperty, "invalid property '" + n + "' for " + std::string(where) +
                                            "; valid properties: " + List(valid) + ".");
    }
  }
  return Status::Ok();
}

Result<std::string> AsString(const Property& p) {
  if (p.value.kind == Value::Kind::kString || p.value.kind == Value::Kind::kWord) {
    return p.value.text;
  }
  return SqlError(kInvalidValue, "property " + p.name + At(p) + " takes a 'string' or a name.");
}

Result<bool> AsBool(const Property& p) {
  std::string v = AsciiUpper(p.value.text);
  if ((p.value.kind == Value::Kind::kWord || p.value.kind == Value::Kind::kString) &&
      (v == "TRUE" || v == "FALSE")) {
    return v == "TRUE";
  }
  return SqlError(kInvalidValue, "property " + p.name + At(p) + " takes TRUE or FALSE.");
}

Result<std::vector<std::string>> AsList(const Property& p) {
  if (p.value.kind != Value::Kind::kList) {
    return SqlError(kInvalidValue,
                    "property " + p.name + At(p) + " takes a parenthesised list: ('a', 'b').");
  }
  std::vector<std::string> out;
  for (const auto& item : p.value.items) {
    if (item.kind != Value::Kind::kString && item.kind != Value::Kind::kWord) {
      return SqlError(kInvalidValue, "property " + p.name + At(p) + " takes a list of values.");
    }
    out.push_back(item.text);
  }
  return out;
}

// A registry validation failure as a SQL error.
Status FromRegistry(const Status& s) {
  if (s.reason() == "registry.aws_issuer_invalid") return SqlError(kAwsIssuer, s.message());
  if (s.code() == Code::kInvalidArgument) return SqlError(kInvalidValue, s.message());
  return s;
}

Status NoUser(std::string_view name) {
  return SqlError(kDoesNotExist,
                  "User '" + std::string(name) + "' does not exist or not authorized.");
}
Status NoPolicy(std::string_view name) {
  return SqlError(kDoesNotExist, "Authentication policy '" + std::string(name) +
                                     "' does not exist or not authorized.");
}
Status NoRole(std::string_view name) {
  return SqlError(kDoesNotExist,
                  "Role '" + std::string(name) + "' does not exist or not authorized.");
}

int64_t Now(Env& env) { return ToUnixSeconds(env.Now()); }

Result<WorkloadIdentity> BuildFromProperties(const std::string& name,
                                             const std::vector<Property>& props,
                                             std::string_view where) {
  WIFGATE_RETURN_IF_ERROR(CheckKnown(props, kIdentityProperties, where));
  registry::IdentitySpec spec;
  for (const auto& p : props) {
    if (p.name == "OIDC_AUDIENCE_LIST") {
      WIFGATE_ASSIGN_OR_RETURN(auto list, AsList(p));
      spec.audiences = std::move(list);
      continue;
    }
    WIFGATE_ASSIGN_OR_RETURN(std::string v, AsString(p));
    if (p.name == "TYPE") spec.type = v;
    if (p.name == "ARN") spec.arn = v;
    if (p.name == "ISSUER") spec.issuer = v;
    if (p.name == "SUBJECT") spec.subject = v;
  }
  if (spec.type.empty()) {
    return SqlError(kInvalidValue,
                    std::string(where) + " requires TYPE = AWS | AZURE | GCP | OIDC.");
  }
  auto built = registry::BuildIdentity(name, spec);
  if (!built.ok()) return FromRegistry(built.status());
  return built;
}

std::string DescribeIdentity(const WorkloadIdentity& w) {
  if (w.type == Provider::kAws) {
    auto parsed = verify::ParseAwsArn(w.arn);
    if (parsed.ok()) {
      return "AWS Authenticator for AWS Account '" + parsed->account + "' and IAM " +
             (parsed->kind == verify::ParsedAwsArn::Kind::kUser ? "user '" : "role '") +
             parsed->name + "'";
    }
  }
  return std::string(verify::ProviderName(w.type)) + " Authenticator for Issuer '" + w.issuer +
         "' and Subject '" + w.subject + "'";
}

// The invariants every user must satisfy after a statement, and the one-identity-one-user
// rule across the account.
Status ValidateUser(const RegistryState& state, const User& u) {
  if (u.type == registry::UserType::kService && !u.password_hash.empty()) {
    return SqlError(kInvalidValue, "Cannot set PASSWORD on users with TYPE=SERVICE.");
  }
  if (u.type == registry::UserType::kPerson && !u.identities.empty()) {
    return SqlError(kInvalidValue,
                    "user " + u.name +
                        " has TYPE = PERSON; workload identities need TYPE = SERVICE or "
                        "LEGACY_SERVICE (set TYPE = SERVICE in the same statement).");
  }
  if (u.identities.size() > registry::kMaxIdentitiesPerUser) {
    return SqlError(kLimitExceeded, "user " + u.name + " would have " +
                                        std::to_string(u.identities.size()) +
                                        " workload identities; the limit is 10 per user.");
  }
  if (!u.authentication_policy.empty() && state.FindPolicy(u.authentication_policy) == nullptr) {
    return NoPolicy(u.authentication_policy);
  }
  for (const auto& w : u.identities) {
    for (const auto& other : state.users) {
      for (const auto& ow : other.identities) {
        if (&ow == &w || ow.match_key != w.match_key) continue;
        return SqlError(
            kDuplicateIdentity,
            DescribeIdentity(w) + " already exists in this account: it is " + "workload identity " +
                ow.name + " of user " + other.name + " (key " + w.match_key +
                "). One workload identity maps to one user; remove it there first "
                "(" +
                (ow.name == registry::kDefaultIdentityName
                     ? "ALTER USER " + other.name + " UNSET WORKLOAD_IDENTITY"
                     : "ALTER USER " + other.name + " REMOVE WORKLOAD IDENTITY " + ow.name) +
                ").");
      }
    }
  }
  return Status::Ok();
}

void Stamp(WorkloadIdentity& w, const SessionContext& s, int64_t now) {
  w.created_on = w.last_altered = now;
  w.created_by = w.last_altered_by = s.Actor();
}

// Applies SET properties to `u`. The password arrives hashed (hashing is slow and is done
// before the write transaction).
Status ApplyUserProperties(User& u, const std::vector<Property>& props,
                           const std::optional<std::string>& password_hash, AdminContext& ctx,
                           int64_t now) {
  WIFGATE_RETURN_IF_ERROR(CheckKnown(props, kUserProperties, "USER"));
  for (const auto& p : props) {
    if (p.name == "WORKLOAD_IDENTITY") {
      if (p.value.kind != Value::Kind::kProperties) {
        return SqlError(kInvalidValue, "WORKLOAD_IDENTITY" + At(p) +
                                           " takes ( TYPE = … ARN = '…' | ISSUER = '…' "
                                           "SUBJECT = '…' ).");
      }
      WIFGATE_ASSIGN_OR_RETURN(WorkloadIdentity w,
                               BuildFromProperties(std::string(registry::kDefaultIdentityName),
                                                   p.value.props, "WORKLOAD_IDENTITY"));
      Stamp(w, ctx.session, now);
      std::erase_if(u.identities, [](const WorkloadIdentity& x) {
        return x.name == registry::kDefaultIdentityName;
      });
      u.identities.insert(u.identities.begin(), std::move(w));
      continue;
    }
    if (p.name == "DISABLED") {
      WIFGATE_ASSIGN_OR_RETURN(u.disabled, AsBool(p));
      continue;
    }
    WIFGATE_ASSIGN_OR_RETURN(std::string v, AsString(p));
    if (p.name == "TYPE") {
      auto type = registry::ParseUserType(v);
      if (!type) {
        return SqlError(kInvalidValue, "invalid value '" + v + "' for property TYPE" + At(p) +
                                           "; valid values: PERSON, SERVICE, LEGACY_SERVICE.");
      }
      u.type = *type;
    } else if (p.name == "LOGIN_NAME") {
      u.login_name = AsciiUpper(v);
    } else if (p.name == "DISPLAY_NAME") {
      u.display_name = v;
    } else if (p.name == "EMAIL") {
      u.email = v;
    } else if (p.name == "DEFAULT_ROLE") {
      u.default_role = p.value.kind == Value::Kind::kString ? AsciiUpper(v) : v;
    } else if (p.name == "COMMENT") {
      u.comment = v;
    } else if (p.name == "PASSWORD") {
      u.password_hash = password_hash.value_or("");
    } else if (p.name == "RSA_PUBLIC_KEY") {
      u.rsa_public_key = v;
    }
  }
  u.last_altered = now;
  return Status::Ok();
}

Result<std::optional<std::string>> HashIfPassword(AdminContext& ctx,
                                                  const std::vector<Property>& props) {
  for (const auto& p : props) {
    if (p.name != "PASSWORD") continue;
    if (p.value.kind != Value::Kind::kString || p.value.text.empty()) {
      return SqlError(kInvalidValue, "PASSWORD" + At(p) + " takes a non-empty 'string'.");
    }
    auto hash = registry::HashPassword(p.value.text, ctx.env);
    if (!hash.ok()) return hash.status();
    return std::optional<std::string>(*hash);
  }
  return std::optional<std::string>();
}

Result<ResultSet> Commit(AdminContext& ctx, const registry::Store::Change& change,
                         std::string message) {
  auto r = ctx.registry.Update(change);
  if (!r.ok()) return r.status();
  return ResultSet::Status(std::move(message));
}

Status ApplyPolicyProperty(AuthenticationPolicy& p, const Property& prop) {
  if (prop.name == "COMMENT") {
    WIFGATE_ASSIGN_OR_RETURN(p.comment, AsString(prop));
    return Status::Ok();
  }
  if (prop.name == "AUTHENTICATION_METHODS") {
    WIFGATE_ASSIGN_OR_RETURN(auto methods, AsList(prop));
    for (auto& m : methods) {
      m = AsciiUpper(m);
      if (!In(kMethods, m)) {
        return SqlError(kInvalidValue, "invalid AUTHENTICATION_METHODS value '" + m +
                                           "'; valid values: " + List(kMethods) + ".");
      }
    }
    p.authentication_methods = std::move(methods);
    return Status::Ok();
  }
  // WORKLOAD_IDENTITY_POLICY = ( … ): restated whole, like Snowflake's object properties.
  if (prop.value.kind != Value::Kind::kProperties) {
    return SqlError(kInvalidValue, "WORKLOAD_IDENTITY_POLICY" + At(prop) +
                                       " takes ( ALLOWED_PROVIDERS = (…) … ).");
  }
  WIFGATE_RETURN_IF_ERROR(
      CheckKnown(prop.value.props, kWifPolicyProperties, "WORKLOAD_IDENTITY_POLICY"));
  p.allowed_providers.clear();
  p.allowed_aws_accounts.clear();
  p.allowed_azure_issuers.clear();
  p.allowed_oidc_issuers.clear();
  for (const auto& sub : prop.value.props) {
    WIFGATE_ASSIGN_OR_RETURN(auto values, AsList(sub));
    if (sub.name == "ALLOWED_PROVIDERS") {
      for (const auto& v : values) {
        if (AsciiEqualsIgnoreCase(v, "ALL")) {
          p.allowed_providers.clear();
          break;
        }
        auto provider = verify::ParseProvider(v);
        if (!provider) {
          return SqlError(kInvalidValue, "invalid ALLOWED_PROVIDERS value '" + v +
                                             "'; valid values: ALL, AWS, AZURE, GCP, OIDC.");
        }
        p.allowed_providers.push_back(*provider);
      }
    } else if (sub.name == "ALLOWED_AWS_ACCOUNTS") {
      for (const auto& v : values) {
        bool ok = v.size() == 12 &&
                  std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!ok) {
          return SqlError(kInvalidValue, "ALLOWED_AWS_ACCOUNTS value '" + v +
                                             "' is not a 12-digit AWS account ID.");
        }
      }
      p.allowed_aws_accounts = values;
    } else if (sub.name == "ALLOWED_AZURE_ISSUERS") {
      for (const auto& v : values) {
        auto canonical = verify::CanonicalIssuer(Provider::kAzure, v);
        if (!canonical.ok()) return SqlError(kInvalidValue, canonical.status().message());
        p.allowed_azure_issuers.push_back(*canonical);
      }
    } else {
      for (const auto& v : values) {
        registry::IdentitySpec probe;
        probe.type = "OIDC";
        probe.issuer = v;
        probe.subject = "x";
        auto check = registry::BuildIdentity("PROBE", probe);
        if (!check.ok()) return FromRegistry(check.status());
      }
      p.allowed_oidc_issuers = values;
    }
  }
  return Status::Ok();
}

std::string JoinProviders(const std::vector<Provider>& ps) {
  std::vector<std::string> names;
  for (auto p : ps) names.emplace_back(verify::ProviderName(p));
  return names.empty() ? "ALL" : Join(names, ", ");
}

// SQL LIKE with % and _, case-insensitive, as SHOW … LIKE.
bool Like(std::string_view text, std::string_view pattern) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '%') {
    for (size_t i = 0; i <= text.size(); ++i) {
      if (Like(text.substr(i), pattern.substr(1))) return true;
    }
    return false;
  }
  if (text.empty()) return false;
  bool same =
      pattern[0] == '_' || AsciiLower(text.substr(0, 1)) == AsciiLower(pattern.substr(0, 1));
  return same && Like(text.substr(1), pattern.substr(1));
}

Result<registry::RegistryState> LoadFresh(AdminContext& ctx) { return ctx.registry.store().Load(); }

const std::string& TargetUser(const SessionContext& s, const std::optional<std::string>& name) {
  return name ? *name : s.user;
}

}  // namespace

Result<ResultSet> RunCreateUser(AdminContext& ctx, const CreateUser& stmt) {
  WIFGATE_ASSIGN_OR_RETURN(auto hash, HashIfPassword(ctx, stmt.props));
  int64_t now = Now(ctx.env);
  bool skipped = false;
  auto r = Commit(
      ctx,
      [&](RegistryState& s) -> Status {
        User* existing = s.FindUser(stmt.name);
        if (existing != nullptr) {
          if (stmt.if_not_exists) {
            skipped = true;
            return Status::Ok();
          }
          if (!stmt.or_replace) {
            return SqlError(kAlreadyExists, "User '" + stmt.name + "' already exists.");
          }
          std::erase_if(s.users, [&](const User& u) { return u.name == stmt.name; });
        }
        User u;
        u.name = stmt.name;
        u.login_name = AsciiUpper(stmt.name);
        u.display_name = stmt.name;
        u.owner = ctx.session.role;
        u.created_on = now;
        WIFGATE_RETURN_IF_ERROR(ApplyUserProperties(u, stmt.props, hash, ctx, now));
        s.users.push_back(std::move(u));
        return ValidateUser(s, s.users.back());
      },
      "User " + stmt.name + " successfully created.");
  if (r.ok() && skipped) {
    return ResultSet::Status(stmt.name + " already exists, statement succeeded.");
  }
  return r;
}

Result<ResultSet> RunAlterUser(AdminContext& ctx, const AlterUser& stmt) {
  using A = AlterUser::Action;
  const std::string& name = TargetUser(ctx.session, stmt.name);
  if (name.empty()) {
    return SqlError(kInvalidValue,
                    "name the user: the local shell has no session user (ALTER USER <name> …).");
  }
  std::optional<std::string> hash;
  if (stmt.action == A::kSet) {
    WIFGATE_ASSIGN_OR_RETURN(hash, HashIfPassword(ctx, stmt.props));
  }
  int64_t now = Now(ctx.env);
  bool missing = false;
  auto r = Commit(
      ctx,
      [&](RegistryState& s) -> Status {
        User* u = s.FindUser(name);
        if (u == nullptr) {
          if (stmt.if_exists) {
            missing = true;
            return Status::Ok();
          }
          return NoUser(name);
        }
        u->last_altered = now;
        auto find_identity = [&](const std::string& id_name) -> WorkloadIdentity* {
          for (auto& w : u->identities) {
            if (w.name == id_name) return &w;
          }
          return nullptr;
        };
        auto no_identity = [&](const std::string& id_name) {
          return SqlError(kDoesNotExist, "Workload identity '" + id_name + "' of user '" + name +
                                             "' does not exist.");
        };
        switch (stmt.action) {
          case A::kSet:
            WIFGATE_RETURN_IF_ERROR(ApplyUserProperties(*u, stmt.props, hash, ctx, now));
            break;
          case A::kUnset:
            WIFGATE_RETURN_IF_ERROR(CheckKnownNames(stmt.unset, kUserProperties, "USER"));
            for (const auto& p : stmt.unset) {
              if (p == "WORKLOAD_IDENTITY") {
                std::erase_if(u->identities, [](const WorkloadIdentity& w) {
                  return w.name == registry::kDefaultIdentityName;
                });
              } else if (p == "TYPE") {
                u->type = registry::UserType::kPerson;
              } else if (p == "DISABLED") {
                u->disabled = false;
              } else if (p == "LOGIN_NAME") {
                u->login_name = AsciiUpper(u->name);
              } else if (p == "DISPLAY_NAME") {
                u->display_name = u->name;
              } else if (p == "EMAIL") {
                u->email.clear();
              } else if (p == "DEFAULT_ROLE") {
                u->default_role.clear();
              } else if (p == "COMMENT") {
                u->comment.clear();
              } else if (p == "PASSWORD") {
                u->password_hash.clear();
              } else if (p == "RSA_PUBLIC_KEY") {
                u->rsa_public_key.clear();
              }
            }
            break;
          case A::kRename:
            if (s.FindUser(stmt.new_name) != nullptr) {
              return SqlError(kAlreadyExists, "User '" + stmt.new_name + "' already exists.");
            }
            u->name = stmt.new_name;
            break;
          case A::kSetPolicy:
            if (s.FindPolicy(stmt.policy) == nullptr) return NoPolicy(stmt.policy);
            u->authentication_policy = stmt.policy;
            break;
          case A::kUnsetPolicy:
            u->authentication_policy.clear();
            break;
          case A::kAddIdentity: {
            auto valid = registry::ValidateIdentityName(stmt.identity, false);
            if (!valid.ok()) return FromRegistry(valid);
            if (find_identity(stmt.identity) != nullptr) {
              return SqlError(kAlreadyExists, "Workload identity '" + stmt.identity +
                                                  "' already exists for user '" + name + "'.");
            }
            WIFGATE_ASSIGN_OR_RETURN(
                WorkloadIdentity w,
                BuildFromProperties(stmt.identity, stmt.props, "ADD WORKLOAD IDENTITY"));
            Stamp(w, ctx.session, now);
            u->identities.push_back(std::move(w));
            break;
          }
          case A::kRenameIdentity:
          case A::kSetIdentity:
          case A::kUnsetIdentity:
          case A::kRemoveIdentity: {
            auto valid = registry::ValidateIdentityName(stmt.identity, false);
            if (!valid.ok()) return FromRegistry(valid);
            WorkloadIdentity* w = find_identity(stmt.identity);
            if (w == nullptr) return no_identity(stmt.identity);
            w->last_altered = now;
            w->last_altered_by = ctx.session.Actor();
            if (stmt.action == A::kRemoveIdentity) {
              std::erase_if(u->identities,
                            [&](const WorkloadIdentity& x) { return x.name == stmt.identity; });
            } else if (stmt.action == A::kRenameIdentity) {
              auto ok = registry::ValidateIdentityName(stmt.new_name, false);
              if (!ok.ok()) return FromRegistry(ok);
              if (find_identity(stmt.new_name) != nullptr) {
                return SqlError(kAlreadyExists, "Workload identity '" + stmt.new_name +
                                                    "' already exists for user '" + name + "'.");
              }
              w->name = stmt.new_name;
            } else if (stmt.action == A::kSetIdentity) {
              WIFGATE_RETURN_IF_ERROR(
                  CheckKnown(stmt.props, kIdentityModifiable, "MODIFY WORKLOAD IDENTITY … SET"));
              for (const auto& p : stmt.props) {
                if (p.name == "DISABLED") {
                  WIFGATE_ASSIGN_OR_RETURN(w->disabled, AsBool(p));
                } else {
                  WIFGATE_ASSIGN_OR_RETURN(w->comment, AsString(p));
                }
              }
            } else {
              WIFGATE_RETURN_IF_ERROR(CheckKnownNames(stmt.unset, kIdentityModifiable,
                                                      "MODIFY WORKLOAD IDENTITY … UNSET"));
              for (const auto& p : stmt.unset) {
                if (p == "DISABLED") w->disabled = false;
                if (p == "COMMENT") w->comment.clear();
              }
            }
            break;
          }
        }
        return ValidateUser(s, *s.FindUser(stmt.action == A::kRename ? stmt.new_name : name));
      },
      "Statement executed successfully.");
  if (r.ok() && missing) return ResultSet::Status("Statement executed successfully.");
  return r;
}

Result<ResultSet> RunCreateRole(AdminContext& ctx, const CreateRole& stmt) {
  constexpr std::string_view kRoleProperties[] = {"COMMENT"};
  WIFGATE_RETURN_IF_ERROR(CheckKnown(stmt.props, kRoleProperties, "ROLE"));
  int64_t now = Now(ctx.env);
  return Commit(
      ctx,
      [&](RegistryState& s) -> Status {
        registry::Role* existing = s.FindRole(stmt.name);
        if (existing != nullptr) {
          if (stmt.if_not_exists) return Status::Ok();
          if (existing->system || !stmt.or_replace) {
            return SqlError(kAlreadyExists, "Role '" + stmt.name + "' already exists.");
          }
        }
        registry::Role r{stmt.name, "", false, ctx.session.role, now};
        for (const auto& p : stmt.props) {
          WIFGATE_ASSIGN_OR_RETURN(r.comment, AsString(p));
        }
        if (existing != nullptr) {
          *existing = r;
        } else {
          s.roles.push_back(r);
        }
        return Status::Ok();
      },
      "Role " + stmt.name + " successfully created.");
}

Result<ResultSet> RunCreatePolicy(AdminContext& ctx, const CreatePolicy& stmt) {
  WIFGATE_RETURN_IF_ERROR(CheckKnown(stmt.props, kPolicyProperties, "AUTHENTICATION POLICY"));
  int64_t now = Now(ctx.env);
  return Commit(
      ctx,
      [&](RegistryState& s) -> Status {
        AuthenticationPolicy* existing = s.FindPolicy(stmt.name);
        if (existing != nullptr && stmt.if_not_exists) return Status::Ok();
        if (existing != nullptr && !stmt.or_replace) {
          return SqlError(kAlreadyExists,
                          "Authentication policy '" + stmt.name + "' already exists.");
        }
        AuthenticationPolicy p;
        p.name = stmt.name;
        p.owner = ctx.session.role;
        p.created_on = p.last_altered = now;
        for (const auto& prop : stmt.props) {
          WIFGATE_RETURN_IF_ERROR(ApplyPolicyProperty(p, prop));
        }
        if (existing != nullptr) {
          p.id = existing->id;  // replaced in place: users and the account keep referring to it
          *existing = std::move(p);
        } else {
          s.policies.push_back(std::move(p));
        }
        return Status::Ok();
      },
      "Authentication policy " + stmt.name + " successfully created.");
}

Result<ResultSet> RunAlterPolicy(AdminContext& ctx, const AlterPolicy& stmt) {
  int64_t now = Now(ctx.env);
  return Commit(
      ctx,
      [&](RegistryState& s) -> Status {
        AuthenticationPolicy* p = s.FindPolicy(stmt.name);
        if (p == nullptr) return stmt.if_exists ? Status::Ok() : NoPolicy(stmt.name);
        p->last_altered = now;
        switch (stmt.action) {
          case AlterPolicy::Action::kSet:
            WIFGATE_RETURN_IF_ERROR(
                CheckKnown(stmt.props, kPolicyProperties, "AUTHENTICATION POLICY"));
            for (const auto& prop : stmt.props) {
              WIFGATE_RETURN_IF_ERROR(ApplyPolicyProperty(*p, prop));
            }
            break;
          case AlterPolicy::Action::kUnset:
            WIFGATE_RETURN_IF_ERROR(
                CheckKnownNames(stmt.unset, kPolicyProperties, "AUTHENTICATION POLICY"));
            for (const auto& n : stmt.unset) {
              if (n == "COMMENT") p->comment.clear();
              if (n == "AUTHENTICATION_METHODS") p->authentication_methods.clear();
              if (n == "WORKLOAD_IDENTITY_POLICY") {
                p->allowed_providers.clear();
                p->allowed_aws_accounts.clear();
                p->allowed_azure_issuers.clear();
                p->allowed_oidc_issuers.clear();
              }
            }
            break;
          case AlterPolicy::Action::kRename: {
            if (s.FindPolicy(stmt.new_name) != nullptr) {
              return SqlError(kAlreadyExists,
                              "Authentication policy '" + stmt.new_name + "' already exists.");
            }
            std::string old = p->name;
            p->name = stmt.new_name;
            for (auto& u : s.users) {
              if (u.authentication_policy == old) u.authentication_policy = stmt.new_name;
            }
            if (s.account_authentication_policy == old) {
              s.account_authentication_policy = stmt.new_name;
            }
            break;
          }
        }
        return Status::Ok();
      },
      "Statement executed successfully.");
}

Result<ResultSet> RunAlterAccount(AdminContext& ctx, const AlterAccount& stmt) {
  return Commit(
      ctx,
      [&](RegistryState& s) -> Status {
        if (stmt.set && s.FindPolicy(stmt.policy) == nullptr) return NoPolicy(stmt.policy);
        s.account_authentication_policy = stmt.set ? stmt.policy : "";
        return Status::Ok();
      },
      "Statement executed successfully.");
}

Result<ResultSet> RunDrop(AdminContext& ctx, const DropObject& stmt) {
  std::string label = stmt.kind == ObjectKind::kUser   ? "USER"
                      : stmt.kind == ObjectKind::kRole ? "ROLE"
                                                       : "AUTHENTICATION POLICY";
  return Commit(
      ctx,
      [&](RegistryState& s) -> Status {
        if (stmt.kind == ObjectKind::kUser) {
          if (s.FindUser(stmt.name) == nullptr) {
            return stmt.if_exists ? Status::Ok() : NoUser(stmt.name);
          }
          std::erase_if(s.users, [&](const User& u) { return u.name == stmt.name; });
        } else if (stmt.kind == ObjectKind::kRole) {
          registry::Role* r = s.FindRole(stmt.name);
          if (r == nullptr) return stmt.if_exists ? Status::Ok() : NoRole(stmt.name);
          if (r->system) {
            return SqlError(kInvalidValue, "system role " + stmt.name + " cannot be dropped.");
          }
          std::erase_if(s.roles, [&](const registry::Role& x) { return x.name == stmt.name; });
          for (auto& u : s.users) {
            std::erase_if(u.grants,
                          [&](const registry::RoleGrant& g) { return g.role == stmt.name; });
          }
        } else {
          if (s.FindPolicy(stmt.name) == nullptr) {
            return stmt.if_exists ? Status::Ok() : NoPolicy(stmt.name);
          }
          std::vector<std::string> users;
          for (const auto& u : s.users) {
            if (u.authentication_policy == stmt.name) users.push_back(u.name);
          }
          if (!users.empty() || s.account_authentication_policy == stmt.name) {
            return SqlError(kInvalidValue,
                            "authentication policy " + stmt.name + " is attached to " +
                                (users.empty() ? "the account" : "users " + Join(users, ", ")) +
                                "; unset it there first (ALTER … UNSET AUTHENTICATION POLICY).");
          }
          std::erase_if(s.policies,
                        [&](const AuthenticationPolicy& p) { return p.name == stmt.name; });
        }
        return Status::Ok();
      },
      stmt.name + " successfully dropped.");
}

Result<ResultSet> RunGrant(AdminContext& ctx, const GrantRole& stmt) {
  int64_t now = Now(ctx.env);
  return Commit(
      ctx,
      [&](RegistryState& s) -> Status {
        if (s.FindRole(stmt.role) == nullptr) return NoRole(stmt.role);
        User* u = s.FindUser(stmt.user);
        if (u == nullptr) return NoUser(stmt.user);
        if (stmt.role == "PUBLIC") {
          return stmt.revoke ? SqlError(kInvalidValue,
                                        "PUBLIC belongs to every user and cannot be revoked.")
                             : Status::Ok();
        }
        auto held = [&](const registry::RoleGrant& g) { return g.role == stmt.role; };
        bool has = std::any_of(u->grants.begin(), u->grants.end(), held);
        if (stmt.revoke) {
          std::erase_if(u->grants, held);
        } else if (!has) {
          u->grants.push_back(registry::RoleGrant{stmt.role, ctx.session.role, now});
        }
        return Status::Ok();
      },
      "Statement executed successfully.");
}

Result<ResultSet> RunDescribe(AdminContext& ctx, const DescribeObject& stmt) {
  WIFGATE_ASSIGN_OR_RETURN(auto state, LoadFresh(ctx));
  ResultSet rs;
  rs.columns = {{"property", ColumnType::kText},
                {"value", ColumnType::kText},
                {"default", ColumnType::kText},
                {"description", ColumnType::kText}};
  auto add = [&](std::string prop, Cell value, Cell def, std::string description) {
    rs.rows.push_back(
        {Cell(std::move(prop)), std::move(value), std::move(def), Cell(std::move(description))});
  };
  auto text = [](const std::string& s) { return s.empty() ? Cell() : Cell(s); };
  if (stmt.kind == ObjectKind::kAuthenticationPolicy) {
    const AuthenticationPolicy* p = state.FindPolicy(stmt.name);
    if (p == nullptr) return NoPolicy(stmt.name);
    add("NAME", Cell(p->name), Cell(), "Name of the policy");
    add("AUTHENTICATION_METHODS",
        Cell(p->authentication_methods.empty() ? "[ALL]"
                                               : "[" + Join(p->authentication_methods, ", ") + "]"),
        Cell("[ALL]"), "Allowed authentication methods");
    add("WORKLOAD_IDENTITY_POLICY",
        Cell("{ALLOWED_PROVIDERS=[" + JoinProviders(p->allowed_providers) +
             "], ALLOWED_AWS_ACCOUNTS=[" + Join(p->allowed_aws_accounts, ", ") +
             "], ALLOWED_AZURE_ISSUERS=[" + Join(p->allowed_azure_issuers, ", ") +
             "], ALLOWED_OIDC_ISSUERS=[" + Join(p->allowed_oidc_issuers, ", ") + "]}"),
        Cell(), "Workload identity restrictions");
    add("COMMENT", text(p->comment), Cell(), "Comment");
    return rs;
  }
  const User* u = state.FindUser(stmt.name);
  if (u == nullptr) return NoUser(stmt.name);
  auto flag = [](bool b) { return Cell(std::string(b ? "true" : "false")); };
  add("NAME", Cell(u->name), Cell(), "Name");
  add("TYPE", Cell(std::string(registry::UserTypeName(u->type))), Cell("PERSON"), "User type");
  add("LOGIN_NAME", Cell(u->login_name), Cell(), "Login name of the user");
  add("DISPLAY_NAME", text(u->display_name), Cell(), "Display name");
  add("EMAIL", text(u->email), Cell(), "Email address");
  add("COMMENT", text(u->comment), Cell(), "User comment");
  add("DISABLED", flag(u->disabled), Cell("false"), "Whether the user is disabled");
  add("DEFAULT_ROLE", text(u->default_role), Cell(), "Primary role for the session");
  add("PASSWORD", u->password_hash.empty() ? Cell() : Cell("********"), Cell(),
      "Password (PBKDF2-HMAC-SHA256 hash stored; never shown)");
  add("RSA_PUBLIC_KEY", text(u->rsa_public_key), Cell(), "RSA public key of the user");
  add("AUTHENTICATION_POLICY", text(u->authentication_policy), Cell(),
      "Authentication policy set on the user");
  add("HAS_WORKLOAD_IDENTITY", flag(!u->identities.empty()), Cell("false"),
      "Whether the user has a workload identity");
  for (const auto& w : u->identities) {
    std::string base = "WORKLOAD_IDENTITY." + w.name + ".";
    add(base + "TYPE", Cell(std::string(verify::ProviderName(w.type))), Cell(), "Provider");
    if (!w.arn.empty()) add(base + "ARN", Cell(w.arn), Cell(), "Registered ARN (path kept)");
    if (!w.issuer.empty()) add(base + "ISSUER", Cell(w.issuer), Cell(), "Issuer");
    if (!w.subject.empty()) add(base + "SUBJECT", Cell(w.subject), Cell(), "Subject");
    if (!w.audiences.empty()) {
      add(base + "OIDC_AUDIENCE_LIST", Cell(Join(w.audiences, ", ")), Cell(), "Audiences");
    }
    add(base + "MATCH_KEY", Cell(w.match_key), Cell(), "The canonical key logins match on");
    add(base + "DISABLED", flag(w.disabled), Cell("false"), "Whether the identity is disabled");
    add(base + "COMMENT", text(w.comment), Cell(), "Comment");
    add(base + "CREATED_ON", Cell(FormatRfc3339(FromUnixSeconds(w.created_on))), Cell(),
        "When the identity was registered");
    add(base + "LAST_USED",
        w.last_used_on ? Cell(FormatRfc3339(FromUnixSeconds(*w.last_used_on))) : Cell(), Cell(),
        "Last successful login through the identity");
  }
  return rs;
}

Result<ResultSet> RunShow(AdminContext& ctx, const ShowObjects& stmt) {
  WIFGATE_ASSIGN_OR_RETURN(auto state, LoadFresh(ctx));
  auto matches = [&](const std::string& name) { return !stmt.like || Like(name, *stmt.like); };
  auto text = [](const std::string& s) { return s.empty() ? Cell() : Cell(s); };
  ResultSet rs;
  if (stmt.kind == ObjectKind::kUser) {
    rs.columns = {{"name", ColumnType::kText},
                  {"created_on", ColumnType::kTimestampLtz},
                  {"login_name", ColumnType::kText},
                  {"display_name", ColumnType::kText},
                  {"email", ColumnType::kText},
                  {"comment", ColumnType::kText},
                  {"disabled", ColumnType::kBoolean},
                  {"default_role", ColumnType::kText},
                  {"owner", ColumnType::kText},
                  {"last_success_login", ColumnType::kTimestampLtz},
                  {"has_password", ColumnType::kBoolean},
                  {"has_rsa_public_key", ColumnType::kBoolean},
                  {"type", ColumnType::kText},
                  {"has_workload_identity", ColumnType::kBoolean}};
    for (const auto& u : state.users) {
      if (!matches(u.name)) continue;
      rs.rows.push_back({Cell(u.name), Cell(u.created_on), Cell(u.login_name), text(u.display_name),
                         text(u.email), text(u.comment), Cell(u.disabled), text(u.default_role),
                         Cell(u.owner), u.last_success_login ? Cell(*u.last_success_login) : Cell(),
                         Cell(!u.password_hash.empty()), Cell(!u.rsa_public_key.empty()),
                         Cell(std::string(registry::UserTypeName(u.type))),
                         Cell(!u.identities.empty())});
    }
  } else if (stmt.kind == ObjectKind::kRole) {
    rs.columns = {{"created_on", ColumnType::kTimestampLtz},
                  {"name", ColumnType::kText},
                  {"is_default", ColumnType::kText},
                  {"is_current", ColumnType::kText},
                  {"is_inherited", ColumnType::kText},
                  {"assigned_to_users", ColumnType::kFixed},
                  {"granted_to_roles", ColumnType::kFixed},
                  {"granted_roles", ColumnType::kFixed},
                  {"owner", ColumnType::kText},
                  {"comment", ColumnType::kText}};
    for (const auto& r : state.roles) {
      if (!matches(r.name)) continue;
      int64_t assigned = 0;
      for (const auto& u : state.users) {
        for (const auto& g : u.grants) assigned += g.role == r.name ? 1 : 0;
      }
      if (r.name == "PUBLIC") assigned = static_cast<int64_t>(state.users.size());
      rs.rows.push_back({Cell(r.created_on), Cell(r.name), Cell("N"),
                         Cell(ctx.session.role == r.name ? "Y" : "N"), Cell("N"), Cell(assigned),
                         Cell(int64_t{0}), Cell(int64_t{0}), Cell(r.owner), text(r.comment)});
    }
  } else {
    rs.columns = {{"created_on", ColumnType::kTimestampLtz},
                  {"name", ColumnType::kText},
                  {"comment", ColumnType::kText},
                  {"owner", ColumnType::kText},
                  {"authentication_methods", ColumnType::kText},
                  {"workload_identity_policy", ColumnType::kText}};
    for (const auto& p : state.policies) {
      if (!matches(p.name)) continue;
      rs.rows.push_back(
          {Cell(p.created_on), Cell(p.name), text(p.comment), Cell(p.owner),
           Cell(p.authentication_methods.empty() ? "ALL" : Join(p.authentication_methods, ", ")),
           Cell("ALLOWED_PROVIDERS=" + JoinProviders(p.allowed_providers))});
    }
  }
  return rs;
}

Result<ResultSet> RunShowIdentities(AdminContext& ctx, const ShowWorkloadIdentities& stmt) {
  const std::string& name = TargetUser(ctx.session, stmt.user);
  if (name.empty()) {
    return SqlError(kInvalidValue, "the local shell has no session user; add FOR USER <name>.");
  }
  WIFGATE_ASSIGN_OR_RETURN(auto state, LoadFresh(ctx));
  const User* u = state.FindUser(name);
  if (u == nullptr) return NoUser(name);
  ResultSet rs;
  rs.columns = {{"name", ColumnType::kText},
                {"type", ColumnType::kText},
                {"comment", ColumnType::kText},
                {"last_used", ColumnType::kTimestampLtz},
                {"created_on", ColumnType::kTimestampLtz},
                {"additional_info", ColumnType::kObject}};
  for (const auto& w : u->identities) {
    rs.rows.push_back({Cell(w.name), Cell(std::string(verify::ProviderName(w.type))),
                       w.comment.empty() ? Cell() : Cell(w.comment),
                       w.last_used_on ? Cell(*w.last_used_on) : Cell(), Cell(w.created_on),
                       Cell(IdentityDetails(w, KeyStyle::kCamelCase))});
  }
  return rs;
}

Result<ResultSet> RunShowGrants(AdminContext& ctx, const ShowGrantsToUser& stmt) {
  WIFGATE_ASSIGN_OR_RETURN(auto state, LoadFresh(ctx));
  const User* u = state.FindUser(stmt.user);
  if (u == nullptr) return NoUser(stmt.user);
  ResultSet rs;
  rs.columns = {{"created_on", ColumnType::kTimestampLtz},
                {"role", ColumnType::kText},
                {"granted_to", ColumnType::kText},
                {"grantee_name", ColumnType::kText},
                {"granted_by", ColumnType::kText}};
  for (const auto& g : u->grants) {
    rs.rows.push_back(
        {Cell(g.created_on), Cell(g.role), Cell("USER"), Cell(u->name), Cell(g.granted_by)});
  }
  rs.rows.push_back({Cell(u->created_on), Cell("PUBLIC"), Cell("USER"), Cell(u->name), Cell()});
  return rs;
}

}  // namespace wifgate::sql
