#include "registry/model.h"

#include <algorithm>

#include "common/strings.h"

namespace wifgate::registry {
namespace {

template <typename T, typename V>
T* FindByName(V& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const auto& x) { return x.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::string_view UserTypeName(UserType t) {
  switch (t) {
    case UserType::kPerson:
      return "PERSON";
    case UserType::kService:
      return "SERVICE";
    case UserType::kLegacyService:
      return "LEGACY_SERVICE";
  }
  return "?";
}

std::optional<UserType> ParseUserType(std::string_view name) {
  for (UserType t : {UserType::kPerson, UserType::kService, UserType::kLegacyService}) {
    if (AsciiEqualsIgnoreCase(name, UserTypeName(t))) return t;
  }
  return std::nullopt;
}

User* RegistryState::FindUser(std::string_view name) { return FindByName<User>(users, name); }
const User* RegistryState::FindUser(std::string_view name) const {
  return FindByName<const User>(users, name);
}
Role* RegistryState::FindRole(std::string_view name) { return FindByName<Role>(roles, name); }
AuthenticationPolicy* RegistryState::FindPolicy(std::string_view name) {
  return FindByName<AuthenticationPolicy>(policies, name);
}
const AuthenticationPolicy* RegistryState::FindPolicy(std::string_view name) const {
  return FindByName<const AuthenticationPolicy>(policies, name);
}

}  // namespace wifgate::registry
