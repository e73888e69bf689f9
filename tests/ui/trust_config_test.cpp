// Issue 11, item 1 in the UI: a link that asks for a server or upload address the deployment
// does not allow gets a screen that names it (and no join, no grid); a wss: server on another
// origin that never answered gets the certificate hint; an unusable config.json is said once.
#include <gtest/gtest.h>

#include <algorithm>

#include "harness.hpp"

namespace gc::ui::test {
namespace {

bool has_region(const Ui& ui, const std::string& name) { return ui.region(name) != nullptr; }

core::ViewModel unreachable(core::Phase phase) {
  core::ViewModel vm;
  vm.revision = 1;
  vm.phase = phase;
  vm.failure = core::FailureReason::kServerUnreachable;
  vm.reconnect_attempts = 2;
  vm.reconnect_at = 1'700'000'010'000;
  return vm;
}

TEST(UiTrust, RefusedServerScreenNamesItAndLeadsToTheJoinScreen) {
  Harness h;
  h.ui.set_join_defaults({"ws://127.0.0.1:8080/groupcall", "1", "8", ""});
  h.ui.set_refused("ws://127.0.0.1:9/groupcall", "", false);
  h.frames_n(3);
  EXPECT_TRUE(has_region(h.ui, "refused"));
  EXPECT_TRUE(has_region(h.ui, "refused/server"));
  EXPECT_FALSE(has_region(h.ui, "refused/upload"));
  EXPECT_FALSE(has_region(h.ui, "join/button"));  // nothing to join from here
  EXPECT_TRUE(h.ui.tile_rects().empty());
  EXPECT_TRUE(h.all.joins.empty());

  ASSERT_TRUE(h.click_region("refused/continue"));
  EXPECT_EQ(h.all.dismiss_refused, 1);
  EXPECT_FALSE(h.ui.refused());
  h.frames_n(2);
  ASSERT_TRUE(has_region(h.ui, "join/button"));
  // The form offers the allowed default, never the refused server.
  EXPECT_EQ(h.ui.server_field(), "ws://127.0.0.1:8080/groupcall");
  EXPECT_TRUE(h.all.joins.empty());  // continuing is not joining
}

TEST(UiTrust, RefusedUploadIsNamedToo) {
  Harness h(1280, 720, Language::kZhCn);
  h.ui.set_refused("", "https://evil.example.com/upload", true);
  h.frames_n(3);
  EXPECT_TRUE(has_region(h.ui, "refused/upload"));
  EXPECT_FALSE(has_region(h.ui, "refused/server"));
  EXPECT_TRUE(has_region(h.ui, "refused/continue"));
}

TEST(UiTrust, AKioskShowsTheRefusalInsteadOfItsGridAndHasNoButton) {
  Harness h(1920, 1080);
  h.ui.set_kiosk(true);
  h.vm = room_with(3);  // even a room behind it would not be drawn
  h.ui.set_refused("ws://127.0.0.1:9/groupcall", "", false);
  h.frames_n(3);
  EXPECT_TRUE(has_region(h.ui, "refused/server"));
  EXPECT_FALSE(has_region(h.ui, "refused/continue"));
  EXPECT_TRUE(h.ui.tile_rects().empty());
  EXPECT_TRUE(h.all.visible.empty());  // no subscriptions asked for
}

TEST(UiTrust, AHostileRefusedValueIsDrawnWithinTheCard) {
  // Direction overrides, control characters and a very long value: drawn visibly and cut.
  Harness h(800, 600);
  std::string value = "ws://127.0.0.1:9/\xE2\x80\xAEllacpuorg\x01";
  value.append(5000, 'x');
  h.ui.set_refused(value, "", false);
  h.frames_n(4);
  const Region* r = h.ui.region("refused/server");
  ASSERT_NE(r, nullptr);
  EXPECT_LE(r->x + r->w, 800.0f);
  EXPECT_LE(r->h, 600.0f);
  EXPECT_TRUE(has_region(h.ui, "refused/continue"));
}

TEST(UiTrust, CertificateHintUnderUnreachableOnlyWhenSet) {
  Harness h;
  h.ui.set_join_defaults({"wss://meet.example.com:8443/groupcall", "1", "1", ""});
  h.vm = unreachable(core::Phase::kReconnecting);
  h.frames_n(3);
  EXPECT_TRUE(has_region(h.ui, "join/countdown"));
  EXPECT_FALSE(has_region(h.ui, "join/certificate"));

  h.ui.set_certificate_hint("https://meet.example.com:8443/");
  h.frames_n(3);
  ASSERT_TRUE(has_region(h.ui, "join/certificate"));
  ASSERT_TRUE(h.click_region("join/certificate"));
  EXPECT_EQ(h.all.open_certificate_page, 1);
  EXPECT_TRUE(h.all.urls.empty());  // not an open_url: the app opens its own URL

  // After the retries give up (kFailed) it is still there; once the server answered, not.
  h.vm = unreachable(core::Phase::kFailed);
  h.frames_n(2);
  EXPECT_TRUE(has_region(h.ui, "join/certificate"));
  h.vm.failure = core::FailureReason::kPermissionDenied;
  h.frames_n(2);
  EXPECT_FALSE(has_region(h.ui, "join/certificate"));
}

TEST(UiTrust, KioskSaysWhichPageAcceptsTheCertificate) {
  Harness h(1920, 1080);
  h.ui.set_kiosk(true);
  h.vm = unreachable(core::Phase::kReconnecting);
  h.frames_n(2);
  const Region* without = h.ui.region("kiosk/status");
  ASSERT_NE(without, nullptr);
  const float one_line = without->h;
  h.ui.set_certificate_hint("https://meet.example.com:8443/");
  h.frames_n(2);
  const Region* with = h.ui.region("kiosk/status");
  ASSERT_NE(with, nullptr);
  EXPECT_GT(with->h, one_line);  // a second line
}

TEST(UiTrust, AnUnusableConfigIsNamedOnTheJoinScreen) {
  Harness h;
  h.frames_n(2);
  EXPECT_FALSE(has_region(h.ui, "join/config_notice"));
  h.ui.set_config_notice("config.json is not valid JSON; ignored");
  h.frames_n(3);
  EXPECT_TRUE(has_region(h.ui, "join/config_notice"));
  EXPECT_TRUE(has_region(h.ui, "join/button"));
}

}  // namespace
}  // namespace gc::ui::test
