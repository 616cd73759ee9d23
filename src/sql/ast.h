// The parsed form of the admin statements (and the marker for everything else, which the
// engine runs). Property lists are kept generic — NAME = value, where a value is a literal,
// a word, a list or a nested property list — and interpreted by the executor, which knows
// each statement's valid properties and names them when one is wrong.
#ifndef WIFGATE_SQL_AST_H_
#define WIFGATE_SQL_AST_H_

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace wifgate::sql {

struct Property;

struct Value {
  enum class Kind { kString, kWord, kNumber, kList, kProperties };
  Kind kind = Kind::kWord;
  std::string text;             // kString, kWord (identifier rules applied), kNumber
  std::vector<Value> items;     // kList
  std::vector<Property> props;  // kProperties
  int line = 1, column = 0;
};

struct Property {
  std::string name;  // upper-cased
  Value value;
  int line = 1, column = 0;
};

enum class ObjectKind { kUser, kRole, kAuthenticationPolicy };

struct CreateUser {
  bool or_replace = false, if_not_exists = false;
  std::string name;
  std::vector<Property> props;
};

struct AlterUser {
  enum class Action {
    kSet,
    kUnset,
    kRename,
    kSetPolicy,
    kUnsetPolicy,
    kAddIdentity,
    kRenameIdentity,
    kSetIdentity,
    kUnsetIdentity,
    kRemoveIdentity,
  };
  bool if_exists = false;
  std::optional<std::string> name;  // unset: the session's user
  Action action = Action::kSet;
  std::vector<Property> props;     // kSet, kAddIdentity, kSetIdentity
  std::vector<std::string> unset;  // kUnset, kUnsetIdentity (upper-cased names)
  std::string identity;            // identity statements
  std::string new_name;            // kRename, kRenameIdentity
  std::string policy;              // kSetPolicy
};

struct CreateRole {
  bool or_replace = false, if_not_exists = false;
  std::string name;
  std::vector<Property> props;
};

struct CreatePolicy {
  bool or_replace = false, if_not_exists = false;
  std::string name;
  std::vector<Property> props;
};

struct AlterPolicy {
  enum class Action { kSet, kUnset, kRename };
  bool if_exists = false;
  std::string name;
  Action action = Action::kSet;
  std::vector<Property> props;
  std::vector<std::string> unset;
  std::string new_name;
};

struct AlterAccount {
  bool set = true;     // SET or UNSET AUTHENTICATION POLICY
  std::string policy;  // SET only
};

struct DropObject {
  ObjectKind kind = ObjectKind::kUser;
  bool if_exists = false;
  std::string name;
};

struct DescribeObject {
  ObjectKind kind = ObjectKind::kUser;
  std::string name;
};

struct ShowObjects {
  ObjectKind kind = ObjectKind::kUser;  // SHOW USERS / ROLES / AUTHENTICATION POLICIES
  std::optional<std::string> like;
};

struct ShowWorkloadIdentities {
  std::optional<std::string> user;  // unset: the session's user
};

struct ShowGrantsToUser {
  std::string user;
};

struct GrantRole {
  bool revoke = false;
  std::string role;
  std::string user;
};

// Anything that is not an admin statement: run by the engine on the user database.
struct Query {
  std::string text;
};

using Statement = std::variant<CreateUser, AlterUser, CreateRole, CreatePolicy, AlterPolicy,
                               AlterAccount, DropObject, DescribeObject, ShowObjects,
                               ShowWorkloadIdentities, ShowGrantsToUser, GrantRole, Query>;

}  // namespace wifgate::sql

#endif  // WIFGATE_SQL_AST_H_
