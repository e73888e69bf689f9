// Issue 11, item 1: config.json (DeployConfig.*) and what a URL fragment may choose
// (FragmentTrust.*): a link must not move the client to another server or upload endpoint.
#include "core/deploy_config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gc::core {
namespace {

bool any_problem_contains(const DeployConfig& c, const std::string& needle) {
  for (const auto& p : c.problems)
    if (p.find(needle) != std::string::npos) return true;
  return false;
}

std::string all_problems(const DeployConfig& c) {
  std::string out;
  for (const auto& p : c.problems) out += p + "\n";
  return out;
}

constexpr const char* kKurento = R"j({
  "servers": ["wss://meet.example.com:8443/groupcall", "wss://backup.example.com:8443/groupcall"],
  "iceServers": [
    {"urls": "stun:stun.example.com:3478"},
    {"urls": ["turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349"],
     "username": "kiosk", "credential": "s3cret"}
  ],
  "upload": {"url": "https://files.example.com/api/upload", "field": "file", "urlPath": "data.fileUrl"},
  "files": "https://files.example.com/",
  "language": "zh",
  "kiosk": {"rotateSeconds": 30, "publish": false},
  "maxFrameBytes": 8192,
  "maxLiveSubscriptions": 16,
  "_comment": "keys starting with _ are comments"
})j";

// ---- DeployConfig: parsing ------------------------------------------------------------------

TEST(DeployConfig, AbsentFileGivesDefaults) {
  const DeployConfig c = deploy_config_from_fetch(404, "text/plain", "not found", "");
  EXPECT_EQ(c.source, ConfigSource::kNone);
  EXPECT_TRUE(c.servers.empty());
  EXPECT_TRUE(c.ice_servers.empty());
  EXPECT_TRUE(c.uploads.empty());
  EXPECT_EQ(c.files, "");
  EXPECT_EQ(c.language, "");
  EXPECT_FALSE(c.kiosk.rotate_seconds);
  EXPECT_FALSE(c.kiosk.publish);
  EXPECT_EQ(c.max_frame_bytes, 8192u);
  EXPECT_EQ(c.max_live_subscriptions, 25u);
  EXPECT_TRUE(c.problems.empty());
  EXPECT_EQ(deploy_config_from_fetch(410, "", "", "").source, ConfigSource::kNone);
  EXPECT_STREQ(to_string(ConfigSource::kNone), "none");
}

TEST(DeployConfig, TheKurentoExampleIsReadCompletely) {
  const DeployConfig c = parse_deploy_config(kKurento);
  EXPECT_EQ(c.source, ConfigSource::kFile);
  EXPECT_TRUE(c.problems.empty()) << all_problems(c);
  ASSERT_EQ(c.servers.size(), 2u);
  EXPECT_EQ(c.servers[0], "wss://meet.example.com:8443/groupcall");
  ASSERT_EQ(c.ice_servers.size(), 2u);
  EXPECT_EQ(c.ice_servers[0].urls, std::vector<std::string>{"stun:stun.example.com:3478"});
  EXPECT_EQ(c.ice_servers[1].urls.size(), 2u);
  EXPECT_EQ(c.ice_servers[1].username, "kiosk");
  EXPECT_EQ(c.ice_servers[1].credential, "s3cret");
  ASSERT_EQ(c.uploads.size(), 1u);
  EXPECT_EQ(c.uploads[0].url, "https://files.example.com/api/upload");
  EXPECT_EQ(c.uploads[0].field, "file");
  EXPECT_EQ(c.uploads[0].url_path, "data.fileUrl");
  EXPECT_EQ(c.files, "https://files.example.com/");
  EXPECT_EQ(c.language, "zh");
  EXPECT_EQ(c.kiosk.rotate_seconds, 30);
  EXPECT_EQ(c.kiosk.publish, false);
  EXPECT_EQ(c.max_frame_bytes, 8192u);
  EXPECT_EQ(c.max_live_subscriptions, 16u);
  EXPECT_STREQ(to_string(c.source), "file");
}

TEST(DeployConfig, TheShippedExampleFileHasNoProblems) {
  // web/config.example.json is what the README tells a deployment to copy.
  FILE* f = std::fopen(GC_TEST_DATA_DIR "/../web/config.example.json", "rb");
  ASSERT_NE(f, nullptr);
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::fclose(f);
  const DeployConfig c = parse_deploy_config(text);
  EXPECT_EQ(c.source, ConfigSource::kFile);
  EXPECT_TRUE(c.problems.empty()) << all_problems(c);
  ASSERT_FALSE(c.servers.empty());
  EXPECT_EQ(c.servers[0], "wss://meet.example.com:8443/groupcall");
}

TEST(DeployConfig, UnparseableOrNonObjectFilesAreTreatedAsAbsentWithAProblem) {
  for (const char* text : {"", "{", "{\"servers\": [}", "[\"wss://a/groupcall\"]", "\"x\"", "42", "null",
                           "{\"servers\": []} trailing", "{'servers': []}", "{\"a\":1,}"}) {
    const DeployConfig c = parse_deploy_config(text);
    EXPECT_EQ(c.source, ConfigSource::kError) << text;
    EXPECT_EQ(c.problems.size(), 1u) << text;
    EXPECT_TRUE(c.servers.empty()) << text;
    EXPECT_EQ(c.max_frame_bytes, 8192u) << text;
  }
  EXPECT_TRUE(any_problem_contains(parse_deploy_config("[1]"), "must hold an object"));
  EXPECT_TRUE(any_problem_contains(parse_deploy_config("{"), "not valid JSON"));
  // Invalid UTF-8 inside a string.
  EXPECT_EQ(parse_deploy_config("{\"language\": \"\xC3\x28\"}").source, ConfigSource::kError);
}

TEST(DeployConfig, HugeFilesAreRefusedWhole) {
  std::string text = "{\"servers\": [\"wss://meet.example.com/groupcall\"], \"_pad\": \"";
  text.append(kMaxDeployConfigBytes, 'x');
  text += "\"}";
  const DeployConfig c = parse_deploy_config(text);
  EXPECT_EQ(c.source, ConfigSource::kError);
  EXPECT_TRUE(c.servers.empty());
  EXPECT_TRUE(any_problem_contains(c, "64 KiB"));
  // Just under the cap is fine.
  std::string fits = "{\"_pad\": \"";
  fits.append(kMaxDeployConfigBytes - 20, 'x');
  fits += "\"}";
  EXPECT_EQ(parse_deploy_config(fits).source, ConfigSource::kFile);
}

TEST(DeployConfig, DeepNestingIsNotBuiltAndItsKeyIgnored) {
  std::string deep = "{\"servers\": ";
  for (int i = 0; i < 20000; ++i) deep += '[';
  for (int i = 0; i < 20000; ++i) deep += ']';
  deep += ", \"language\": \"en\"}";
  const DeployConfig c = parse_deploy_config(deep);
  EXPECT_EQ(c.source, ConfigSource::kFile);
  EXPECT_TRUE(c.servers.empty());
  EXPECT_EQ(c.language, "en");
  EXPECT_TRUE(any_problem_contains(c, "servers: nests deeper")) << all_problems(c);
}

TEST(DeployConfig, WrongTypesKeepTheDefaultWithAReadableProblem) {
  const DeployConfig c = parse_deploy_config(R"j({
    "servers": "wss://meet.example.com/groupcall",
    "iceServers": {"urls": "stun:a"},
    "upload": "/upload",
    "files": 7,
    "language": ["zh"],
    "kiosk": true,
    "maxFrameBytes": "8192",
    "maxLiveSubscriptions": 2.5
  })j");
  EXPECT_EQ(c.source, ConfigSource::kFile);
  EXPECT_TRUE(c.servers.empty());
  EXPECT_TRUE(c.ice_servers.empty());
  EXPECT_TRUE(c.uploads.empty());
  EXPECT_EQ(c.files, "");
  EXPECT_EQ(c.language, "");
  EXPECT_FALSE(c.kiosk.publish);
  EXPECT_EQ(c.max_frame_bytes, 8192u);
  EXPECT_EQ(c.max_live_subscriptions, 25u);
  EXPECT_EQ(c.problems.size(), 8u) << all_problems(c);
  EXPECT_TRUE(any_problem_contains(c, "servers: expected an array")) << all_problems(c);
  EXPECT_TRUE(any_problem_contains(c, "got a string"));
  EXPECT_TRUE(any_problem_contains(c, "maxFrameBytes: expected a whole number from 1024 to 1048576; keeping 8192"));
  EXPECT_TRUE(any_problem_contains(c, "maxLiveSubscriptions: expected a whole number from 1 to 200; keeping 25"));
}

TEST(DeployConfig, NumbersOutOfRangeKeepTheirDefault) {
  for (const char* text : {R"j({"maxFrameBytes": 1023})j", R"j({"maxFrameBytes": 1048577})j",
                           R"j({"maxFrameBytes": -8192})j", R"j({"maxFrameBytes": 1e4})j",
                           R"j({"maxFrameBytes": 18446744073709551615})j", R"j({"maxFrameBytes": true})j",
                           R"j({"maxFrameBytes": null})j"}) {
    const DeployConfig c = parse_deploy_config(text);
    EXPECT_EQ(c.max_frame_bytes, 8192u) << text;
    EXPECT_EQ(c.problems.size(), 1u) << text;
  }
  EXPECT_EQ(parse_deploy_config(R"j({"maxFrameBytes": 1024})j").max_frame_bytes, 1024u);
  EXPECT_EQ(parse_deploy_config(R"j({"maxFrameBytes": 1048576})j").max_frame_bytes, 1048576u);
  EXPECT_EQ(parse_deploy_config(R"j({"maxLiveSubscriptions": 0})j").max_live_subscriptions, 25u);
  EXPECT_EQ(parse_deploy_config(R"j({"maxLiveSubscriptions": 1})j").max_live_subscriptions, 1u);
  EXPECT_EQ(parse_deploy_config(R"j({"maxLiveSubscriptions": 201})j").max_live_subscriptions, 25u);
  const DeployConfig k = parse_deploy_config(R"j({"kiosk": {"rotateSeconds": 1, "publish": "yes", "mode": 1}})j");
  EXPECT_FALSE(k.kiosk.rotate_seconds);
  EXPECT_FALSE(k.kiosk.publish);
  EXPECT_EQ(k.problems.size(), 3u) << all_problems(k);
}

TEST(DeployConfig, ServersMustBeWebSocketUrlsWithoutCredentials) {
  const DeployConfig c = parse_deploy_config(R"j({"servers": [
    "https://meet.example.com/groupcall",
    "wss://admin:hunter2@meet.example.com/groupcall",
    "wss://meet.example.com/groupcall#x",
    "javascript:alert(1)",
    "wss://meet.example.com/group call",
    "ws://",
    42,
    "wss://ok.example.com:8443/groupcall",
    "WSS://OK.example.com:8443/groupcall",
    "ws://plain.example.com/groupcall"
  ]})j");
  ASSERT_EQ(c.servers.size(), 2u) << all_problems(c);
  EXPECT_EQ(c.servers[0], "wss://ok.example.com:8443/groupcall");
  EXPECT_EQ(c.servers[1], "ws://plain.example.com/groupcall");
  EXPECT_TRUE(any_problem_contains(c, "servers[1]: credentials in the URL are not allowed"));
  EXPECT_TRUE(any_problem_contains(c, "servers[8]: listed twice"));
  EXPECT_EQ(c.problems.size(), 8u) << all_problems(c);
  // A credential never reaches a problem line.
  for (const auto& p : c.problems) EXPECT_EQ(p.find("hunter2"), std::string::npos) << p;
}

TEST(DeployConfig, IceServersAreCheckedAndSecretsNeverEchoed) {
  const DeployConfig c = parse_deploy_config(R"j({"iceServers": [
    {"urls": "stun:stun.example.com"},
    {"urls": "turn:turn.example.com", "username": "u"},
    {"urls": "turn:user:topsecret@turn.example.com", "username": "u", "credential": "c"},
    {"urls": "http://stun.example.com"},
    {"urls": ["stun:a.example.com", 5]},
    {"username": "u", "credential": "c"},
    "stun:bare.example.com",
    {"urls": "stun:b.example.com", "credential": {"secret": "topsecret"}},
    {"urls": "turns:turn.example.com:5349", "username": "u", "credential": "pw", "credentialType": "password"}
  ]})j");
  ASSERT_EQ(c.ice_servers.size(), 2u) << all_problems(c);
  EXPECT_EQ(c.ice_servers[0].urls[0], "stun:stun.example.com");
  EXPECT_EQ(c.ice_servers[1].urls[0], "turns:turn.example.com:5349");
  EXPECT_EQ(c.ice_servers[1].credential, "pw");
  EXPECT_TRUE(any_problem_contains(c, "iceServers[1]: a turn: server needs username and credential"));
  EXPECT_TRUE(any_problem_contains(c, "credentials belong in username and credential"));
  EXPECT_TRUE(any_problem_contains(c, "not a stun:, stuns:, turn: or turns: URL"));
  EXPECT_TRUE(any_problem_contains(c, "iceServers[5]: no urls"));
  EXPECT_TRUE(any_problem_contains(c, "iceServers[8]: unknown key \"credentialType\" ignored"));
  for (const auto& p : c.problems) EXPECT_EQ(p.find("topsecret"), std::string::npos) << p;
}

TEST(DeployConfig, DuplicateKeysAreAmbiguousAndKeepTheDefault) {
  // Parsers disagree on which duplicate wins, so neither does.
  const DeployConfig c = parse_deploy_config(R"j({
    "servers": ["wss://a.example.com/groupcall"],
    "servers": ["wss://evil.example.com/groupcall"],
    "upload": {"url": "/upload", "url": "https://evil.example.com/upload"},
    "language": "zh"
  })j");
  EXPECT_EQ(c.source, ConfigSource::kFile);
  EXPECT_TRUE(c.servers.empty());
  EXPECT_TRUE(c.uploads.empty());
  EXPECT_EQ(c.language, "zh");
  EXPECT_TRUE(any_problem_contains(c, "servers: is given twice")) << all_problems(c);
  EXPECT_TRUE(any_problem_contains(c, "upload: holds the key \"url\" twice")) << all_problems(c);
  // The same key in two different objects is not a duplicate.
  const DeployConfig ok = parse_deploy_config(
      R"j({"upload": [{"url": "/a"}, {"url": "/b"}], "kiosk": {"publish": true}})j");
  EXPECT_TRUE(ok.problems.empty()) << all_problems(ok);
  EXPECT_EQ(ok.uploads.size(), 2u);
}

TEST(DeployConfig, UnknownKeysAreIgnoredWithAProblemLineAndCommentsSilently) {
  const DeployConfig c = parse_deploy_config(
      "{\"server\": \"wss://typo.example.com/groupcall\", \"_note\": 1, \"evil\\u0007key\": 2, "
      "\"language\": \"en-US\"}");
  EXPECT_EQ(c.source, ConfigSource::kFile);
  EXPECT_EQ(c.language, "en");
  ASSERT_EQ(c.problems.size(), 2u) << all_problems(c);
  EXPECT_TRUE(any_problem_contains(c, "unknown key \"server\" ignored"));
  EXPECT_TRUE(any_problem_contains(c, "unknown key \"evil?key\" ignored"));  // control chars not echoed
}

TEST(DeployConfig, UploadEndpointsAndFilesBase) {
  const DeployConfig c = parse_deploy_config(R"j({
    "upload": [
      {"url": "/upload"},
      {"url": "https://files.example.com/up", "field": "file", "urlPath": "result.0.url"},
      {"url": "https://u:p@files.example.com/up"},
      {"url": "//evil.example.com/up"},
      {"url": "javascript:alert(1)"},
      {"url": "/up", "field": "a b"},
      {"url": "/up", "urlPath": "a..b"},
      {"field": "file"}
    ],
    "files": "ftp://files.example.com/"
  })j");
  ASSERT_EQ(c.uploads.size(), 2u) << all_problems(c);
  EXPECT_EQ(c.uploads[0], (UploadApi{"/upload", "", ""}));
  EXPECT_EQ(c.uploads[1], (UploadApi{"https://files.example.com/up", "file", "result.0.url"}));
  EXPECT_EQ(c.files, "");
  EXPECT_EQ(c.problems.size(), 7u) << all_problems(c);
  EXPECT_EQ(parse_deploy_config(R"j({"files": "/files/"})j").files, "/files/");
  EXPECT_EQ(parse_deploy_config(R"j({"files": "https://f.example.com/x/"})j").files, "https://f.example.com/x/");
  EXPECT_EQ(parse_deploy_config(R"j({"files": "https://a@f.example.com/"})j").files, "");
}

TEST(DeployConfig, FetchOutcomes) {
  const DeployConfig net = deploy_config_from_fetch(0, "", "", "TypeError: Failed to fetch");
  EXPECT_EQ(net.source, ConfigSource::kError);
  EXPECT_TRUE(any_problem_contains(net, "could not be loaded: TypeError: Failed to fetch"));
  const DeployConfig e500 = deploy_config_from_fetch(500, "text/plain", "oops", "");
  EXPECT_EQ(e500.source, ConfigSource::kError);
  EXPECT_TRUE(any_problem_contains(e500, "HTTP 500"));
  // A server that answers every path with its index page: no config, said once.
  const DeployConfig html = deploy_config_from_fetch(200, "text/html; charset=utf-8", "<!doctype html>", "");
  EXPECT_EQ(html.source, ConfigSource::kNone);
  EXPECT_EQ(html.problems.size(), 1u);
  EXPECT_EQ(deploy_config_from_fetch(200, "application/octet-stream", "\n  <html>", "").source, ConfigSource::kNone);
  const DeployConfig ok = deploy_config_from_fetch(200, "application/json", R"j({"language":"zh"})j", "");
  EXPECT_EQ(ok.source, ConfigSource::kFile);
  EXPECT_EQ(ok.language, "zh");
  // A UTF-8 byte order mark is fine.
  EXPECT_EQ(deploy_config_from_fetch(200, "application/json", "\xEF\xBB\xBF{}", "").source, ConfigSource::kFile);
}

TEST(DeployConfig, UploadAnswerUrlPath) {
  EXPECT_EQ(upload_file_url(R"j({"fileUrl": "/files/a.pdf"})j", ""), "/files/a.pdf");
  EXPECT_EQ(upload_file_url(R"j({"url": "/files/b.pdf"})j", ""), "/files/b.pdf");
  EXPECT_EQ(upload_file_url(R"j({"data": {"fileUrl": "https://f/x"}})j", "data.fileUrl"), "https://f/x");
  EXPECT_EQ(upload_file_url(R"j({"result": [{"url": "/r0"}, {"url": "/r1"}]})j", "result.1.url"), "/r1");
  EXPECT_EQ(upload_file_url(R"j({"result": [{"url": "/r0"}]})j", "result.5.url"), "");
  EXPECT_EQ(upload_file_url(R"j({"data": {"fileUrl": 5}})j", "data.fileUrl"), "");
  EXPECT_EQ(upload_file_url(R"j({"fileUrl": "/a"})j", "data.fileUrl"), "");
  EXPECT_EQ(upload_file_url("not json", ""), "");
  EXPECT_EQ(upload_file_url(R"j(["/a"])j", ""), "");
  EXPECT_EQ(upload_file_url(R"j(["/a"])j", "0"), "/a");
}

// ---- FragmentTrust: what a link may choose ---------------------------------------------------

UrlConfig fragment(const char* text) { return parse_url_fragment(text, "http:", "127.0.0.1:8080"); }

TEST(FragmentTrust, WithoutConfigOnlyThePagesOwnServer) {
  const DeployConfig none;
  // Own origin: allowed, also spelt with another case or the default port.
  for (const char* f : {"server=ws%3A%2F%2F127.0.0.1%3A8080%2Fgroupcall", "server=WS://127.0.0.1:8080/groupcall"}) {
    const FragmentTrust t = check_fragment(fragment(f), none, "http:", "127.0.0.1:8080");
    EXPECT_FALSE(t.refused()) << f;
    EXPECT_TRUE(t.server_from_fragment) << f;
  }
  EXPECT_TRUE(server_allowed("ws://example.org:80/groupcall", none, "http:", "example.org"));
  EXPECT_TRUE(server_allowed("wss://example.org/groupcall", none, "https:", "example.org:443"));
  // Everything else: another port, host, scheme, path, credentials.
  for (const char* s : {"ws://127.0.0.1:9/groupcall", "ws://127.0.0.2:8080/groupcall",
                        "wss://127.0.0.1:8080/groupcall", "ws://127.0.0.1:8080/other",
                        "ws://127.0.0.1:8080@evil.example.com/groupcall",
                        "ws://x@127.0.0.1:8080/groupcall", "ws://evil.example.com/groupcall"}) {
    EXPECT_FALSE(server_allowed(s, none, "http:", "127.0.0.1:8080")) << s;
  }
  const FragmentTrust t = check_fragment(
      fragment("server=ws%3A%2F%2F127.0.0.1%3A9%2Fgroupcall&kiosk=1&publish=1"), none, "http:", "127.0.0.1:8080");
  ASSERT_TRUE(t.refused_server);
  EXPECT_EQ(*t.refused_server, "ws://127.0.0.1:9/groupcall");
  EXPECT_EQ(t.server, "ws://127.0.0.1:8080/groupcall");  // what the join screen offers instead
  EXPECT_FALSE(t.server_from_fragment);
}

TEST(FragmentTrust, WithConfigOnlyTheListedServers) {
  const DeployConfig c = parse_deploy_config(kKurento);
  const FragmentTrust def = check_fragment(fragment(""), c, "https:", "meet.example.com");
  EXPECT_FALSE(def.refused());
  EXPECT_EQ(def.server, "wss://meet.example.com:8443/groupcall");  // the first one
  const FragmentTrust second = check_fragment(
      fragment("server=wss%3A%2F%2FBACKUP.example.com%3A8443%2Fgroupcall"), c, "https:", "meet.example.com");
  EXPECT_FALSE(second.refused());
  EXPECT_EQ(second.server, "wss://BACKUP.example.com:8443/groupcall");
  // The page's own origin is not implied once servers are listed.
  EXPECT_FALSE(server_allowed("wss://meet.example.com/groupcall", c, "https:", "meet.example.com"));
  EXPECT_FALSE(server_allowed("wss://meet.example.com:8443/groupcall/", c, "https:", "meet.example.com"));
  EXPECT_FALSE(server_allowed("wss://evil.example.com:8443/groupcall", c, "https:", "meet.example.com"));
}

TEST(FragmentTrust, InvalidServerValuesAreRefusedNotIgnored) {
  const DeployConfig none;
  for (const char* f : {"server=http%3A%2F%2F127.0.0.1%3A8080%2Fgroupcall", "server=javascript:alert(1)",
                        "server=ws%3A%2F%2F127.0.0.1%3A9%2Fgroupcall&server="}) {
    const FragmentTrust t = check_fragment(fragment(f), none, "http:", "127.0.0.1:8080");
    EXPECT_TRUE(t.refused_server) << f;
  }
  // Empty or absent: nothing was asked; the default is used.
  EXPECT_FALSE(check_fragment(fragment("server=&room=1"), none, "http:", "127.0.0.1:8080").refused());
  // The last server= wins, as for every key.
  EXPECT_FALSE(check_fragment(fragment("server=ws%3A%2F%2Fevil%2Fgroupcall&server=ws%3A%2F%2F127.0.0.1%3A8080%2Fgroupcall"),
                              none, "http:", "127.0.0.1:8080")
                   .refused());
}

TEST(FragmentTrust, UploadWithoutConfigOnlyThisOrigin) {
  const DeployConfig none;
  for (const char* u : {"/upload", "upload", "/api/v2/upload?x=1", "http://127.0.0.1:8080/up", "HTTP://127.0.0.1:8080/up"})
    EXPECT_TRUE(upload_allowed(u, none, "http:", "127.0.0.1:8080")) << u;
  for (const char* u : {"https://127.0.0.1:8080/up", "http://127.0.0.1:9/up", "https://evil.example.com/",
                        "//evil.example.com/up", "/\\evil.example.com/up", "http://u@127.0.0.1:8080/up",
                        "javascript:alert(1)"})
    EXPECT_FALSE(upload_allowed(u, none, "http:", "127.0.0.1:8080")) << u;
  const FragmentTrust t = check_fragment(fragment("upload=https%3A%2F%2Fevil.example.com%2F"), none, "http:",
                                         "127.0.0.1:8080");
  ASSERT_TRUE(t.refused_upload);
  EXPECT_EQ(*t.refused_upload, "https://evil.example.com/");
  EXPECT_FALSE(t.refused_server);
  EXPECT_EQ(t.upload.url, "/upload");
  const FragmentTrust ok = check_fragment(fragment("upload=%2Fapi%2Fupload"), none, "http:", "127.0.0.1:8080");
  EXPECT_FALSE(ok.refused());
  EXPECT_EQ(ok.upload.url, "/api/upload");
}

TEST(FragmentTrust, UploadWithConfigOnlyTheConfiguredEndpoints) {
  const DeployConfig c = parse_deploy_config(
      R"j({"upload": [{"url": "https://files.example.com/up", "field": "file", "urlPath": "data.url"}, {"url": "/upload"}]})j");
  ASSERT_TRUE(c.problems.empty()) << all_problems(c);
  const FragmentTrust def = check_fragment(fragment(""), c, "https:", "meet.example.com");
  EXPECT_EQ(def.upload, c.uploads[0]);
  const FragmentTrust second = check_fragment(fragment("upload=%2Fupload"), c, "https:", "meet.example.com");
  EXPECT_FALSE(second.refused());
  EXPECT_EQ(second.upload, c.uploads[1]);
  // The same endpoint written absolutely on this origin is the same endpoint.
  EXPECT_TRUE(upload_allowed("https://meet.example.com/upload", c, "https:", "meet.example.com"));
  EXPECT_TRUE(upload_allowed("https://FILES.example.com:443/up", c, "https:", "meet.example.com"));
  // A same-origin path that is not configured is refused once a config lists endpoints.
  EXPECT_FALSE(upload_allowed("/other", c, "https:", "meet.example.com"));
  EXPECT_TRUE(check_fragment(fragment("upload=%2Fother"), c, "https:", "meet.example.com").refused_upload);
}

TEST(FragmentTrust, CertificatePageOnlyForWssOnAnotherOrigin) {
  EXPECT_EQ(certificate_page_url("wss://meet.example.com:8443/groupcall", "https:", "meet.example.com"),
            "https://meet.example.com:8443/");
  EXPECT_EQ(certificate_page_url("WSS://Meet.Example.com:8443/groupcall", "http:", "127.0.0.1:8080"),
            "https://meet.example.com:8443/");
  EXPECT_EQ(certificate_page_url("wss://meet.example.com:443/groupcall", "http:", "meet.example.com"),
            "https://meet.example.com/");
  EXPECT_FALSE(certificate_page_url("wss://meet.example.com/groupcall", "https:", "meet.example.com"));
  EXPECT_FALSE(certificate_page_url("wss://meet.example.com:443/groupcall", "https:", "meet.example.com"));
  EXPECT_FALSE(certificate_page_url("ws://meet.example.com:8443/groupcall", "http:", "x"));
  EXPECT_FALSE(certificate_page_url("wss://u:p@meet.example.com:8443/groupcall", "http:", "x"));
  EXPECT_FALSE(certificate_page_url("wss://m\xC3\xA9" "et.example.com/groupcall", "http:", "x"));
  EXPECT_FALSE(certificate_page_url("not a url", "http:", "x"));
}

TEST(FragmentTrust, CanonicalWebSocketUrl) {
  EXPECT_EQ(canonical_websocket_url("WS://Host:80"), "ws://host/");
  EXPECT_EQ(canonical_websocket_url("wss://Host:443/Path?Q"), "wss://host/Path?Q");
  EXPECT_EQ(canonical_websocket_url("wss://[::1]:8443/g"), "wss://[::1]:8443/g");
  EXPECT_EQ(canonical_websocket_url("ws://h:8080/g"), "ws://h:8080/g");
  EXPECT_FALSE(canonical_websocket_url("http://h/"));
}

TEST(FragmentTrust, KioskDefaultsYieldToTheFragment) {
  // url_config records whether publish= and rotate= were given, so a deployment's kiosk
  // defaults apply only where the link said nothing.
  const UrlConfig bare = fragment("kiosk=1");
  EXPECT_FALSE(bare.publish_set);
  EXPECT_FALSE(bare.kiosk_page_seconds_set);
  const UrlConfig set = fragment("kiosk=1&publish=0&rotate=5");
  EXPECT_TRUE(set.publish_set);
  EXPECT_TRUE(set.kiosk_page_seconds_set);
  EXPECT_EQ(set.kiosk_page_seconds, 5);
}

}  // namespace
}  // namespace gc::core
