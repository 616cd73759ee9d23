#include "server/session_store.h"

#include <gtest/gtest.h>

#include <cctype>

#include "fake_env.h"

namespace wifgate::server {
namespace {

using std::chrono::seconds;

class SessionStoreTest : public ::testing::Test {
 protected:
  std::shared_ptr<Session> NewSession(std::string user) {
    auto s = std::make_shared<Session>();
    s->user = std::move(user);
    s->identity_key = "aws-role:aws:123456789012:fn";
    return s;
  }
  testing::FakeEnv env_;
  SessionLimits limits_;
};

TEST_F(SessionStoreTest, IssuesDistinctHighEntropyTokens) {
  SessionStore store(env_, limits_);
  auto a = store.Create(NewSession("A"));
  auto b = store.Create(NewSession("B"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->session_token, b->session_token);
  EXPECT_NE(a->session_token, a->master_token);
  EXPECT_NE(a->session_id, b->session_id);
  // "wgs_" + base64url of 32 bytes.
  EXPECT_EQ(a->session_token.size(), 4u + 43u);
  auto s = store.Authenticate(a->session_token);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->user, "A");
}

TEST_F(SessionStoreTest, UnknownAndMasterTokensDoNotAuthenticate) {
  SessionStore store(env_, limits_);
  auto t = store.Create(NewSession("A"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(store.Authenticate("wgs_nope").status().reason(), "session.unknown");
  EXPECT_EQ(store.Authenticate(t->master_token).status().reason(), "session.unknown");
}

// security.md SESS-04: only the exact token authenticates; every near miss is unknown.
TEST_F(SessionStoreTest, NearMissTokensDoNotAuthenticate) {
  SessionStore store(env_, limits_);
  auto t = store.Create(NewSession("A"));
  ASSERT_TRUE(t.ok());
  const std::string& token = t->session_token;
  std::string flipped = token;
  flipped[10] = static_cast<char>(std::isupper(static_cast<unsigned char>(flipped[10]))
                                      ? std::tolower(flipped[10])
                                      : std::toupper(flipped[10]));
  std::string other_char = token;
  other_char.back() = other_char.back() == 'A' ? 'B' : 'A';
  for (const std::string& near :
       {token.substr(0, token.size() - 1), token + "A", other_char, token + std::string(1, '\0'),
        token + "\r\n", " " + token, std::string(1 << 20, 'A'), std::string(), token.substr(4)}) {
    if (near == token) continue;  // a case flip of a digit or '-' changes nothing
    EXPECT_EQ(store.Authenticate(near).status().reason(), "session.unknown") << near.substr(0, 60);
  }
  if (flipped != token) {
    EXPECT_EQ(store.Authenticate(flipped).status().reason(), "session.unknown");
  }
  EXPECT_TRUE(store.Authenticate(token).ok());
}

TEST_F(SessionStoreTest, ExpiredTokenRenewsWithMasterToken) {
  SessionStore store(env_, limits_);
  auto t = store.Create(NewSession("A"));
  ASSERT_TRUE(t.ok());
  env_.now += limits_.session_token_validity + seconds(1);
  EXPECT_EQ(store.Authenticate(t->session_token).status().reason(), "session.token_expired");

  EXPECT_EQ(store.Renew(t->master_token, "wgs_other").status().reason(), "session.renew_mismatch");
  auto renewed = store.Renew(t->master_token, t->session_token);
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  EXPECT_EQ(renewed->session_id, t->session_id);
  EXPECT_TRUE(store.Authenticate(renewed->session_token).ok());
  // The old pair is spent.
  EXPECT_EQ(store.Authenticate(t->session_token).status().reason(), "session.unknown");
  EXPECT_EQ(store.Renew(t->master_token, t->session_token).status().reason(),
            "session.master_unknown");
}

TEST_F(SessionStoreTest, RenewalDoesNotExtendTheMasterToken) {
  SessionStore store(env_, limits_);
  auto t = store.Create(NewSession("A"));
  ASSERT_TRUE(t.ok());
  std::string session = t->session_token, master = t->master_token;
  for (int i = 0; i < 4; ++i) {
    env_.now += limits_.session_token_validity - seconds(1);
    auto r = store.Renew(master, session);
    ASSERT_TRUE(r.ok()) << i;
    session = r->session_token;
    master = r->master_token;
  }
  env_.now += seconds(10);  // past the first master token's lifetime
  EXPECT_FALSE(store.Authenticate(session).ok());
  EXPECT_EQ(store.Renew(master, session).status().reason(), "session.master_unknown");
}

TEST_F(SessionStoreTest, IdleSessionsExpire) {
  limits_.idle_timeout = seconds(100);
  SessionStore store(env_, limits_);
  auto t = store.Create(NewSession("A"));
  ASSERT_TRUE(t.ok());
  env_.now += seconds(99);
  EXPECT_TRUE(store.Authenticate(t->session_token).ok());
  env_.now += seconds(99);  // used 99 s ago: still alive
  EXPECT_TRUE(store.Authenticate(t->session_token).ok());
  env_.now += seconds(100);
  EXPECT_EQ(store.Authenticate(t->session_token).status().reason(), "session.unknown");
  EXPECT_EQ(store.size(), 0u);
}

// security.md SESS-02: however busy a session is, it ends at its absolute lifetime, and
// renewal does not outlive it.
TEST_F(SessionStoreTest, SessionsEndAtTheirAbsoluteLifetime) {
  limits_.absolute_lifetime = seconds(1000);
  limits_.session_token_validity = seconds(300);
  limits_.master_token_validity = seconds(5000);
  SessionStore store(env_, limits_);
  auto t = store.Create(NewSession("A"));
  ASSERT_TRUE(t.ok());
  std::string session = t->session_token, master = t->master_token;
  for (int i = 0; i < 3; ++i) {  // kept busy and renewed: 900 s
    env_.now += seconds(299);
    EXPECT_TRUE(store.Authenticate(session).ok()) << i;
    auto r = store.Renew(master, session);
    ASSERT_TRUE(r.ok()) << i;
    session = r->session_token;
    master = r->master_token;
  }
  env_.now += seconds(103);  // 1,000 s after creation
  EXPECT_FALSE(store.Authenticate(session).ok());
  EXPECT_FALSE(store.Renew(master, session).ok());
}

TEST_F(SessionStoreTest, LogoutAndRevocation) {
  SessionStore store(env_, limits_);
  auto a = store.Create(NewSession("A"));
  auto b = store.Create(NewSession("B"));
  auto c = store.Create(NewSession("B"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_TRUE(store.Remove(a->session_token));
  EXPECT_FALSE(store.Remove(a->session_token));
  EXPECT_EQ(store.RevokeIf([](const Session& s) { return s.user == "B"; }), 2u);
  EXPECT_FALSE(store.Authenticate(b->session_token).ok());
  EXPECT_EQ(store.Renew(c->master_token, c->session_token).status().reason(),
            "session.master_unknown");
}

TEST_F(SessionStoreTest, RefusesPastCapacityUnlessExpiredSessionsCanGo) {
  limits_.max_sessions = 2;
  limits_.idle_timeout = seconds(10);
  SessionStore store(env_, limits_);
  ASSERT_TRUE(store.Create(NewSession("A")).ok());
  ASSERT_TRUE(store.Create(NewSession("B")).ok());
  EXPECT_EQ(store.Create(NewSession("C")).status().reason(), "server.too_many_sessions");
  env_.now += seconds(11);
  EXPECT_TRUE(store.Create(NewSession("C")).ok());
}

}  // namespace
}  // namespace wifgate::server
