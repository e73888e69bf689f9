// ClientWiring.*: the Client (src/app/client.cpp) between a real Session and Ui and fake
// bridges (fake_bridges.hpp): which command reaches which bridge, when bridges are
// destroyed, what a new Session gets, device switching, and the state() JSON shape the
// browser tests (tests/e2e) read.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <imgui.h>
#include <nlohmann/json.hpp>

#include "app/client.hpp"
#include "fake_bridges.hpp"
#include "protocol/codec.hpp"

namespace gc::app::test {
namespace {

using Json = nlohmann::json;
namespace proto = protocol;

constexpr const char* kPageServer = "ws://127.0.0.1:8080/groupcall";
constexpr double kFirstFrameHoldMs = Client::kFirstFrameHoldMs;
constexpr double kFirstFrameHoldMaxMs = Client::kFirstFrameHoldMaxMs;

std::string text_of(const JsRef& ref) {
  const std::string* s = ref.get<std::string>();
  return s ? *s : std::string("<null>");
}

// Every name in `names` is a key of `object` (more may be added; none may go or be renamed).
::testing::AssertionResult has_keys(const Json& object, const std::set<std::string>& names) {
  if (!object.is_object()) return ::testing::AssertionFailure() << "not an object: " << object.dump();
  std::string missing;
  for (const std::string& name : names)
    if (!object.contains(name)) missing += " " + name;
  if (missing.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing:" << missing << " in " << object.dump();
}

class ClientWiring : public ::testing::Test {
 protected:
  ClientWiring() {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 720);
    io.Fonts->AddFontDefault();
    io.Fonts->Build();
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.Fonts->SetTexID(static_cast<ImTextureID>(nullptr));
  }
  ~ClientWiring() override {
    client_.reset();
    ImGui::DestroyContext(ctx_);
  }

  // The page runs start(): the Client exists, the next task (a kiosk's frontend) has not run.
  void create(const std::string& hash, core::DeployConfig deploy = {}) {
    PageInfo page;
    page.hash = hash;
    page.protocol = "http:";
    page.host = "127.0.0.1:8080";
    page.language = "en-US";
    started_at_ = w_.now;
    client_ = Client::create(page, std::move(deploy), std::make_unique<FakeBridges>(w_));
  }
  // A kiosk sets up its canvas, ImGui and atlas once its join is answered, its camera has
  // answered, every connection has its offer and the first page's videos are on screen, or
  // at the hold's limit (4 s after start, up to 8 s while videos are on their way:
  // Client::on_hold_limit). The fake browser makes no offer until a test says so: here,
  // the limit.
  void kiosk_frontend_at_the_limit() {
    while (!w_.frontend && w_.now - started_at_ < kFirstFrameHoldMaxMs) w_.advance(100);
    ASSERT_NE(w_.frontend, nullptr);
  }
  void start(const std::string& hash, core::DeployConfig deploy = {}) {
    create(hash, std::move(deploy));
    w_.tick();  // a kiosk sets up its frontend in the next task
  }

  // One frame, as the browser's requestAnimationFrame runs the Frontend's draw callback.
  void frame() {
    ASSERT_NE(w_.frontend, nullptr);
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    w_.frontend->frame_requests = 0;
    w_.frontend->cb.draw();
    ImGui::Render();
    ++w_.frontend->drawn;
    w_.now += 16;
  }
  void frames(int n) {
    for (int i = 0; i < n; ++i) frame();
  }
  bool click(const std::string& region) {
    frames(3);  // a new window settles its layout over a few frames
    for (const Json& r : Json::parse(client_->regions_json())) {
      if (r["name"] != region) continue;
      ImGuiIO& io = ImGui::GetIO();
      io.AddMousePosEvent(r["x"].get<float>() + r["w"].get<float>() / 2, r["y"].get<float>() + r["h"].get<float>() / 2);
      frame();
      io.AddMouseButtonEvent(0, true);
      frame();
      io.AddMouseButtonEvent(0, false);
      frames(2);
      return true;
    }
    return false;
  }
  void replace_text(const std::string& region, const std::string& text) {
    ASSERT_TRUE(click(region)) << region;
    ImGuiIO& io = ImGui::GetIO();
    io.AddKeyEvent(ImGuiMod_Ctrl, true);
    io.AddKeyEvent(ImGuiKey_A, true);
    frame();
    io.AddKeyEvent(ImGuiKey_A, false);
    io.AddKeyEvent(ImGuiMod_Ctrl, false);
    frame();
    io.AddInputCharactersUTF8(text.c_str());
    frames(2);
  }

  Json state() const { return Json::parse(client_->state_json()); }
  double started_at_ = 0;  // the World's clock when the page ran start()

  FakeSocket* socket() const {
    const auto live = World::live(w_.sockets);
    return live.empty() ? nullptr : live.back();
  }
  void server_says(const proto::ServerMessage& message) { socket()->text(proto::encode(message)); }
  // The socket opens and the server confirms the join with these others in the room.
  void enter_room(std::vector<core::UserId> others) {
    ASSERT_NE(socket(), nullptr);
    socket()->opened();
    proto::ExistingParticipants existing;
    for (core::UserId id : others) existing.participants.push_back(proto::Participant{id, "user" + std::to_string(id), "", ""});
    server_says(existing);
    kiosk_frontend_at_the_limit();
    frames(2);  // the grid reports what it shows: the Session subscribes to it
  }
  // A person's page (user 5, room 1) joined with the camera granted, in a room with
  // `others`; returns the send connection.
  FakePeer* publishing_in_room(std::vector<core::UserId> others) {
    start("#room=1&user=5");
    EXPECT_TRUE(click("join/button"));
    w_.media->grant();
    enter_room(std::move(others));
    return peer_of(core::Direction::kSendOnly);
  }
  // A kiosk page (`fragment`) whose socket opened into a room with user 7: returns the
  // connection receiving user 7, its offer made (no answer yet).
  FakePeer* kiosk_offering_to_7(const std::string& fragment = "#room=1&user=5&kiosk=1") {
    start(fragment);
    socket()->opened();
    proto::ExistingParticipants existing;
    existing.participants.push_back(proto::Participant{7, "user7", "", ""});
    server_says(existing);
    FakePeer* p = peer_of(core::Direction::kRecvOnly);
    EXPECT_NE(p, nullptr);
    if (p) p->offer("v=0 offer-7");
    return p;
  }
  FakePeer* peer_of(core::Direction direction, std::size_t index = 0) const {
    std::size_t seen = 0;
    for (FakePeer* p : World::live(w_.peers))
      if (p->direction == direction && seen++ == index) return p;
    return nullptr;
  }
  // A kiosk in a room with 7 and 8, both receive connections offered and 7's answered:
  // {7's, 8's} (the answer says whose is whose).
  std::pair<FakePeer*, FakePeer*> receivers_of_7_and_8() {
    start("#room=1&user=5&kiosk=1");
    enter_room({7, 8});
    FakePeer* a = peer_of(core::Direction::kRecvOnly, 0);
    FakePeer* b = peer_of(core::Direction::kRecvOnly, 1);
    a->offer("offer-a");
    b->offer("offer-b");
    server_says(proto::ReceiveVideoAnswer{7, "answer-7"});
    return a->answers.empty() ? std::make_pair(b, a) : std::make_pair(a, b);
  }
  // receivers_of_7_and_8() on screen, connected, both tracks tapped (7 silent, 8 at
  // `level8`), after the first level read (250 ms).
  std::pair<FakePeer*, FakePeer*> tapped_receivers_of_7_and_8(double level8) {
    auto pair = receivers_of_7_and_8();
    videos_on_screen({7, 8});
    pair.first->tapped = 0.0;
    pair.second->tapped = level8;
    pair.first->set_state(core::PeerState::kConnected);
    pair.second->set_state(core::PeerState::kConnected);
    w_.advance(250);
    return pair;
  }
  // A kiosk's first page is on screen: each one's video decoded a frame and, shown by the
  // overlay, presented it (the first frame is no longer held; stats polls run).
  void videos_on_screen(std::initializer_list<core::UserId> ids) {
    for (core::UserId id : ids) w_.overlay->cb.first_frame(id);
    for (core::UserId id : ids) w_.overlay->cb.on_screen(id);
  }
  // A kiosk whose first page shows no video: no frontend (so no frame) until `limit` after
  // start, then the frontend and a frame that is not held.
  void expect_drawn_at_the_limit(double limit = kFirstFrameHoldMs) {
    w_.advance(std::max(0.0, limit - 1 - (w_.now - started_at_)));
    EXPECT_EQ(w_.frontend, nullptr);
    w_.advance(1);
    ASSERT_NE(w_.frontend, nullptr);
    EXPECT_FALSE(w_.frontend->held);
  }
  std::vector<std::string> sent_types() const {
    std::vector<std::string> types;
    for (const std::string& frame : socket()->sent) {
      const Json j = Json::parse(frame, nullptr, false);
      if (j.is_object() && j.contains("id")) types.push_back(j["id"].get<std::string>());
      else if (j.is_object() && j.contains("type")) types.push_back(j["type"].get<std::string>());
    }
    return types;
  }
  bool sent_contains(const std::string& needle) const {
    for (const std::string& frame : socket()->sent)
      if (frame.find(needle) != std::string::npos) return true;
    return false;
  }

  World w_;
  std::unique_ptr<Client> client_;
  ImGuiContext* ctx_ = nullptr;
};

// ---- commands reach the right bridge ---------------------------------------------------

TEST_F(ClientWiring, KioskJoinsAtStartOnThePagesServer) {
  create("#room=1&user=5&kiosk=1");
  ASSERT_EQ(w_.sockets.size(), 1u);
  EXPECT_EQ(w_.sockets[0]->url, kPageServer);
  // The wake lock, the hash watch and the file picker come in a task after the one that
  // sends the join (issue 12).
  EXPECT_EQ(w_.keep_awake, 0);
  EXPECT_EQ(w_.picker, nullptr);
  w_.tick();
  EXPECT_EQ(w_.keep_awake, 1);
  EXPECT_EQ(w_.reload_watch, 1);
  EXPECT_NE(w_.picker, nullptr);
  EXPECT_EQ(w_.frontend, nullptr) << "set up once the join is answered";
  EXPECT_EQ(w_.media->requests, 0) << "a kiosk receives only";
  EXPECT_EQ(w_.media->enumerations, 0) << "no device pickers: never enumerated (15 ms of the browser's each)";
  EXPECT_EQ(state()["phase"], "connecting");
  expect_drawn_at_the_limit();
  EXPECT_TRUE(w_.frontend->cursor_hidden);
  EXPECT_EQ(state()["phase"], "connecting") << "still joining: the limit draws that";
}

// Issue 12: the kiosk's join goes out before its canvas, ImGui and atlas are set up; once
// in the room it subscribes to what its first frame will show without waiting for that
// frame, and it sets up its frontend only when every connection has its offer: each step
// on the way to the first video is a task the set-up would delay.
TEST_F(ClientWiring, KioskSendsItsJoinBeforeSettingUpTheFrontendAndSubscribesBeforeItsFirstFrame) {
  create("#room=1&user=5&kiosk=1");
  ASSERT_EQ(w_.sockets.size(), 1u);
  EXPECT_EQ(w_.frontend, nullptr) << "the frontend waits";
  socket()->opened();
  EXPECT_EQ(sent_types(), std::vector<std::string>{"join"});
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr) << "joining";
  proto::ExistingParticipants existing;
  for (core::UserId id : {7, 8}) existing.participants.push_back(proto::Participant{id, "user" + std::to_string(id), "", ""});
  server_says(existing);
  const auto peers = World::live(w_.peers);
  ASSERT_EQ(peers.size(), 2u) << "both on the first page: subscribed before any frame, with no frontend";
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr) << "no offer yet";
  peers[0]->offer("v=0 offer-a");
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr) << "one offer of two";
  peers[1]->offer("v=0 offer-b");
  w_.tick();
  // The set-up also waits for both videos (the answers, the candidates and the first
  // frames are tasks on this thread), not for one: connected is not enough, decoded (the
  // tile is live) is not either; each video is shown without the canvas, and the set-up and
  // the first frame come once both are on screen.
  EXPECT_EQ(w_.frontend, nullptr) << "both offers out, no video yet";
  peers[0]->set_state(core::PeerState::kConnected);
  peers[1]->set_state(core::PeerState::kConnected);
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr) << "connected, nothing decoded yet";
  w_.overlay->cb.first_frame(7);
  w_.overlay->cb.first_frame(8);
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr) << "decoded, not on screen yet";
  std::vector<core::UserId> shown;
  for (const VideoRect& r : w_.overlay->rects)
    if (r.visible && r.w > 0 && r.h > 0) shown.push_back(r.id);
  std::sort(shown.begin(), shown.end());
  EXPECT_EQ(shown, (std::vector<core::UserId>{7, 8})) << "shown where the first frame will put them, before it";
  w_.overlay->cb.on_screen(7);
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr) << "one video of two on screen";
  w_.overlay->cb.on_screen(8);
  EXPECT_EQ(w_.frontend, nullptr) << "in a task of its own";
  w_.tick();
  ASSERT_NE(w_.frontend, nullptr);
  EXPECT_TRUE(w_.frontend->cursor_hidden);
  EXPECT_FALSE(w_.frontend->held) << "both videos are on screen: the first frame may come";
  EXPECT_EQ(w_.frontend->drawn, 0u);
  // The first frame shows the same page: nothing more is offered.
  frames(3);
  EXPECT_EQ(World::live(w_.peers).size(), 2u);
}

// A publishing kiosk also waits for its camera and its own offer; a video that reaches the
// screen meanwhile counts (the first frame is then not held once the frontend exists).
TEST_F(ClientWiring, APublishingKioskSetsUpItsFrontendOnceItsCameraAndItsOfferAreOut) {
  FakePeer* of7 = kiosk_offering_to_7("#room=1&user=5&kiosk=1&publish=1");
  ASSERT_NE(of7, nullptr);
  server_says(proto::ReceiveVideoAnswer{7, "answer-7"});
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr) << "the camera has not answered";
  of7->set_state(core::PeerState::kConnected);
  videos_on_screen({7});  // before the frontend: remembered
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr);
  w_.media->grant();
  FakePeer* send = peer_of(core::Direction::kSendOnly);
  ASSERT_NE(send, nullptr);
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr) << "its own offer is not out yet";
  send->offer("v=0 offer-self");
  w_.tick();
  ASSERT_NE(w_.frontend, nullptr);
  EXPECT_FALSE(w_.frontend->held) << "the first page's video is on screen already";
}

// Issue 12: the canvas's code is the module's second half (groupcall.deferred.wasm). A
// kiosk asks for it only when its frontend is due (here at the limit), once, and sets the
// frontend up when it is in; a person's page asks at start (both halves are in: at once).
TEST_F(ClientWiring, AKioskAsksForTheCanvasCodeOnlyWhenItsFrontendIsDueAndWaitsForIt) {
  w_.ui_code_later = true;
  start("#room=1&user=5&kiosk=1");
  EXPECT_EQ(w_.ui_code_requests, 0) << "the join's work first";
  w_.advance(kFirstFrameHoldMs + 100);
  EXPECT_EQ(w_.ui_code_requests, 1) << "due at the limit";
  EXPECT_EQ(w_.frontend, nullptr) << "not before the code is in";
  w_.advance(2000);
  EXPECT_EQ(w_.ui_code_requests, 1) << "asked for once";
  ASSERT_EQ(w_.ui_code_waiting.size(), 1u);
  w_.ui_code_waiting[0]();
  ASSERT_NE(w_.frontend, nullptr);
  EXPECT_FALSE(w_.frontend->held) << "past the limit: drawn at once";
  frames(1);
  EXPECT_EQ(w_.frontend->drawn, 1u);
}

TEST_F(ClientWiring, APersonsPageAsksForTheCanvasCodeAtStart) {
  create("#room=1&user=5");
  EXPECT_EQ(w_.ui_code_requests, 1);
  EXPECT_NE(w_.frontend, nullptr) << "both halves in: the join screen at once";
}

// Issue 12: a publishing kiosk's own camera goes into its tile with its first frame; until
// its first page's videos are on screen only theirs are shown (scaling its own video costs
// the compositor while the connections are set up). A person's page shows it at once.
TEST_F(ClientWiring, APublishingKioskShowsItsOwnCameraWithItsFirstFrame) {
  FakePeer* of7 = kiosk_offering_to_7("#room=1&user=5&kiosk=1&publish=1");
  ASSERT_NE(of7, nullptr);
  w_.media->grant();
  w_.tick();
  EXPECT_FALSE(w_.overlay->self) << "the camera is open; its tile waits for the first frame";
  server_says(proto::ReceiveVideoAnswer{7, "answer-7"});
  of7->set_state(core::PeerState::kConnected);
  w_.overlay->cb.first_frame(7);
  w_.tick();
  EXPECT_FALSE(w_.overlay->self) << "7's video decoded, not on screen yet";
  w_.overlay->cb.on_screen(7);
  w_.tick();
  EXPECT_EQ(text_of(w_.overlay->self), text_of(w_.media->stream_ref)) << "with the first frame";
  EXPECT_FALSE(w_.overlay->self_is_screen);
}

TEST_F(ClientWiring, APersonsPageShowsItsOwnCameraAtOnce) {
  start("#room=1&user=5");
  w_.media->grant();
  w_.tick();
  EXPECT_EQ(text_of(w_.overlay->self), text_of(w_.media->stream_ref));
}

// Issue 12 (time to video): a receive connection is prepared as the join starts (before
// the socket opens: its set-up then does not sit between the join and the list), and the
// first subscription takes it: its offer (made meanwhile) and the candidates it gathered
// go out for the owner the list names, the candidates after the offer (rule 3). The second
// owner gets a connection of its own.
TEST_F(ClientWiring, TheFirstSubscriptionTakesTheConnectionPreparedWhileTheJoinWasOnItsWay) {
  w_.prepare_peers = true;
  create("#room=1&user=5&kiosk=1");
  ASSERT_EQ(World::live(w_.peers).size(), 1u) << "prepared as the join starts";
  EXPECT_TRUE(socket()->sent.empty());
  socket()->opened();
  ASSERT_EQ(sent_types(), std::vector<std::string>{"join"});
  ASSERT_EQ(World::live(w_.peers).size(), 1u);
  FakePeer* spare = World::live(w_.peers)[0];
  EXPECT_TRUE(spare->prepared);
  EXPECT_EQ(spare->direction, core::Direction::kRecvOnly);
  spare->offer("v=0 prepared");
  spare->candidate(core::IceCandidate{"candidate:1 1 udp 1 127.0.0.1 5000 typ host", "0", 0});
  EXPECT_EQ(sent_types(), std::vector<std::string>{"join"}) << "held: nobody to send them for yet";

  proto::ExistingParticipants existing;
  existing.participants.push_back(proto::Participant{7, "user7", "", ""});
  existing.participants.push_back(proto::Participant{8, "user8", "", ""});
  server_says(existing);
  EXPECT_EQ(spare->adoptions, 1);
  ASSERT_EQ(World::live(w_.peers).size(), 2u) << "the second owner's own connection";
  EXPECT_FALSE(World::live(w_.peers)[1]->prepared);
  std::optional<core::UserId> offered_for;
  bool candidate_after_offer = false;
  for (const std::string& frame : socket()->sent) {
    const Json j = Json::parse(frame);
    const std::string type = j.value("id", j.value("type", ""));
    if (type == "receiveVideoFrom" && j["sdpOffer"] == "v=0 prepared") offered_for = j["userId"].get<core::UserId>();
    if (type == "onIceCandidate" && offered_for && j["userId"] == *offered_for) candidate_after_offer = true;
  }
  ASSERT_TRUE(offered_for.has_value()) << "the prepared offer went out";
  EXPECT_TRUE(*offered_for == 7 || *offered_for == 8);
  EXPECT_TRUE(candidate_after_offer);
  World::live(w_.peers)[1]->offer("v=0 own");
  EXPECT_TRUE(sent_contains("v=0 own"));
  server_says(proto::ReceiveVideoAnswer{*offered_for, "answer"});
  EXPECT_EQ(spare->answers, std::vector<std::string>{"answer"});
}

// One per join, closed when unused: after a minute in an empty room (its candidates would
// go stale; a later arrival gets a connection of its own), and at once when the join fails.
TEST_F(ClientWiring, APreparedConnectionIsClosedUnusedAfterAMinute) {
  w_.prepare_peers = true;
  start("#room=1&user=5&kiosk=1");
  socket()->opened();
  ASSERT_EQ(World::live(w_.peers).size(), 1u);
  server_says(proto::ExistingParticipants{});
  for (int s = 0; s < 6; ++s) {  // the server answers the heartbeat probes (rule 8)
    w_.advance(s < 5 ? 10000 : 9999);
    server_says(proto::UnrecognizedMessage{});
  }
  EXPECT_EQ(World::live(w_.peers).size(), 1u);
  w_.advance(1);
  EXPECT_TRUE(World::live(w_.peers).empty());
  EXPECT_EQ(state()["phase"], "in-room");
  server_says(proto::NewParticipantArrived{proto::Participant{7, "user7", "", ""}});
  frames(2);  // the grid reports what it shows: the Session subscribes to it
  ASSERT_EQ(World::live(w_.peers).size(), 1u);
  EXPECT_FALSE(World::live(w_.peers)[0]->prepared);
  EXPECT_EQ(w_.peers.size(), 2u) << "no second prepared connection in the same join";
}

TEST_F(ClientWiring, APreparedConnectionIsClosedWhenTheJoinFails) {
  w_.prepare_peers = true;
  start("#room=1&user=5&kiosk=1");
  socket()->opened();
  ASSERT_EQ(World::live(w_.peers).size(), 1u);
  server_says(proto::PermissionDenied{});
  EXPECT_EQ(state()["phase"], "failed");
  EXPECT_TRUE(World::live(w_.peers).empty());
}

// A join that is never answered: the frontend comes at the limit and says "connecting".
TEST_F(ClientWiring, AKiosksFrontendWaitsAtMostFourSeconds) {
  start("#room=1&user=5&kiosk=1");
  expect_drawn_at_the_limit();
  EXPECT_EQ(state()["phase"], "connecting");
}

// The wait has a limit: a first page whose video is on its way but never comes is drawn
// after 8 s (4 s when nothing is on its way: the join unanswered above, an empty room
// below); a kiosk with something else to say (refused by the server) draws it at once.
TEST_F(ClientWiring, KioskFirstFrameWaitsAtMostEightSecondsWhileItsVideoIsOnItsWay) {
  ASSERT_NE(kiosk_offering_to_7(), nullptr);
  w_.advance(kFirstFrameHoldMs + 100);
  EXPECT_EQ(w_.frontend, nullptr) << "at 4 s the video is still on its way";
  expect_drawn_at_the_limit(kFirstFrameHoldMaxMs);
}

// Once the video is on screen the wait ends, whenever that is within the limit.
TEST_F(ClientWiring, KioskVideoOnScreenAfterFourSecondsEndsTheWait) {
  FakePeer* p = kiosk_offering_to_7();
  ASSERT_NE(p, nullptr);
  w_.advance(5000);
  EXPECT_EQ(w_.frontend, nullptr);
  p->set_state(core::PeerState::kConnected);
  videos_on_screen({7});
  w_.tick();
  ASSERT_NE(w_.frontend, nullptr);
  EXPECT_FALSE(w_.frontend->held);
}

// An empty room: someone joining at the same moment is about to be announced, so the
// waiting screen is drawn only at the limit (or when someone's video is on screen).
TEST_F(ClientWiring, KioskInAnEmptyRoomDrawsAtTheLimit) {
  start("#room=1&user=5&kiosk=1");
  socket()->opened();
  server_says(proto::ExistingParticipants{});
  EXPECT_EQ(state()["phase"], "in-room");
  w_.tick();
  EXPECT_EQ(w_.frontend, nullptr) << "nothing to offer, but someone may be announced";
  expect_drawn_at_the_limit();
}

TEST_F(ClientWiring, KioskRefusedByTheServerDrawsAtOnce) {
  start("#room=1&user=5&kiosk=1");
  socket()->opened();
  EXPECT_EQ(w_.frontend, nullptr) << "joining";
  server_says(proto::UserNotFound{});
  w_.tick();
  ASSERT_NE(w_.frontend, nullptr) << "something to say: set up at once";
  EXPECT_FALSE(w_.frontend->held) << state()["phase"];
}

// Not a kiosk: the join screen is drawn from the start, nothing waits for a task.
TEST_F(ClientWiring, APersonsPageHasItsFrontendAtOnce) {
  create("#room=1&user=5");
  EXPECT_NE(w_.frontend, nullptr);
  EXPECT_EQ(w_.media->enumerations, 1) << "the join screen's device pickers";
  EXPECT_NE(w_.picker, nullptr);
}

TEST_F(ClientWiring, RefusedServerOpensNoSocketAndAsksForNoCamera) {
  start("#server=ws%3A%2F%2Fevil.example%2Fgroupcall&room=1&user=5&kiosk=1&publish=1");
  frame();
  EXPECT_TRUE(w_.sockets.empty());
  EXPECT_EQ(w_.media->requests, 0);
  EXPECT_EQ(w_.keep_awake, 0);
  const Json s = state();
  EXPECT_EQ(s["refusedServer"], "ws://evil.example/groupcall");
  EXPECT_TRUE(s["refusedScreen"].get<bool>());
  EXPECT_TRUE(std::any_of(w_.console.begin(), w_.console.end(), [](const auto& line) {
    return line.first == core::LogLevel::kError && line.second.find("evil.example") != std::string::npos;
  }));
}

TEST_F(ClientWiring, JoinFrameGoesOutOnTheOpenedSocketAndIsMeasured) {
  start("#room=1&user=5&kiosk=1");
  socket()->opened();
  ASSERT_FALSE(socket()->sent.empty());
  const Json join = Json::parse(socket()->sent.front());
  EXPECT_EQ(join["room"], 1);
  EXPECT_EQ(state()["phase"], "joining");
  std::size_t largest = 0;
  for (const auto& f : socket()->sent) largest = std::max(largest, f.size());
  EXPECT_EQ(state()["largestFrameSent"].get<std::size_t>(), largest);
}

TEST_F(ClientWiring, JoinButtonRemembersTheFormButNeverThePassword) {
  start("#room=3&user=7&pw=secret");
  EXPECT_TRUE(w_.sockets.empty()) << "outside kiosk mode nothing connects before Join";
  ASSERT_TRUE(click("join/button"));
  ASSERT_EQ(w_.sockets.size(), 1u);
  EXPECT_EQ(w_.storage["server"], std::optional<std::string>(kPageServer));
  EXPECT_EQ(w_.storage["room"], std::optional<std::string>("3"));
  EXPECT_EQ(w_.storage["user"], std::optional<std::string>("7"));
  for (const auto& [key, value] : w_.storage) EXPECT_NE(value.value_or(""), "secret") << key;
  EXPECT_EQ(w_.media->requests, 2) << "a person publishes by default (the preview asked first)";
  socket()->opened();
  EXPECT_TRUE(sent_contains("secret")) << "the password goes in the join frame only";
}

TEST_F(ClientWiring, ChatGoesOutOnTheRoomsSocket) {
  start("#room=1&user=5&kiosk=1");
  enter_room({7});
  client_->send_chat("hello there");
  EXPECT_TRUE(sent_contains("hello there"));
  const Json chat = state()["chat"];
  ASSERT_EQ(chat.size(), 1u);
  EXPECT_EQ(chat[0]["text"], "hello there");
}

TEST_F(ClientWiring, VisibleTilesGetOneReceivePeerEachWithTheIceServers) {
  start("#room=1&user=5&kiosk=1&ice=stun%3Astun.example%3A3478");
  enter_room({7, 8});
  const auto peers = World::live(w_.peers);
  ASSERT_EQ(peers.size(), 2u);
  for (FakePeer* p : peers) {
    EXPECT_EQ(p->direction, core::Direction::kRecvOnly);
    EXPECT_FALSE(p->local_stream) << "a receive connection sends no camera";
    ASSERT_EQ(p->ice_servers.size(), 1u);
    EXPECT_EQ(p->ice_servers[0].urls, std::vector<std::string>{"stun:stun.example:3478"});
  }
  peers[0]->offer("v=0 offer-a");
  EXPECT_TRUE(sent_contains("offer-a"));
  EXPECT_EQ(state()["liveSubscriptions"], 2);
}

TEST_F(ClientWiring, AnswersAndCandidatesReachTheirOwnersPeer) {
  start("#room=1&user=5&kiosk=1");
  enter_room({7, 8});
  FakePeer* a = peer_of(core::Direction::kRecvOnly, 0);
  FakePeer* b = peer_of(core::Direction::kRecvOnly, 1);
  ASSERT_TRUE(a && b);
  a->offer("offer-a");
  b->offer("offer-b");
  server_says(proto::ReceiveVideoAnswer{8, "answer-8"});
  server_says(proto::RemoteIceCandidate{8, proto::IceCandidate{"candidate:8", "0", 0}});
  const std::size_t with_answer = a->answers.size() + b->answers.size();
  EXPECT_EQ(with_answer, 1u);
  FakePeer* of8 = a->answers.empty() ? b : a;
  FakePeer* of7 = of8 == a ? b : a;
  EXPECT_EQ(of8->answers, std::vector<std::string>{"answer-8"});
  EXPECT_EQ(of8->candidates, std::vector<std::string>{"candidate:8"});
  EXPECT_TRUE(of7->answers.empty());
  EXPECT_TRUE(of7->candidates.empty());
}

TEST_F(ClientWiring, RemoteStreamAndFirstFrameAreRoutedByOwner) {
  start("#room=1&user=5&kiosk=1");
  enter_room({7});
  FakePeer* p = peer_of(core::Direction::kRecvOnly);
  ASSERT_NE(p, nullptr);
  p->offer("offer");
  server_says(proto::ReceiveVideoAnswer{7, "answer"});
  p->remote_stream(JsRef::of(std::string("stream-of-7")));
  ASSERT_EQ(w_.overlay->remote.count(7), 1u);
  EXPECT_EQ(text_of(w_.overlay->remote[7]), "stream-of-7");
  EXPECT_GT(w_.frontend->frame_requests, 0);
  p->set_state(core::PeerState::kConnected);
  w_.overlay->cb.first_frame(7);
  EXPECT_EQ(state()["participants"][0]["media"], "live");
  w_.overlay->cb.first_frame(99);  // nobody's: ignored
  EXPECT_EQ(state()["participants"].size(), 1u);
}

TEST_F(ClientWiring, StatsArePolledOnlyForConnectedReceivePeersEverySecondUntilTheirVideoShowsThenEveryTwo) {
  FakePeer* p = kiosk_offering_to_7();
  ASSERT_NE(p, nullptr);
  w_.advance(500);
  EXPECT_EQ(p->stats_polls, 0) << "not connected yet";
  p->set_state(core::PeerState::kConnected);
  w_.advance(1000);
  EXPECT_EQ(p->stats_polls, 0) << "a kiosk's first frame is held: no figure is shown yet";
  EXPECT_EQ(p->audio_polls, 0);
  EXPECT_EQ(w_.frontend, nullptr);
  videos_on_screen({7});
  w_.tick();
  ASSERT_NE(w_.frontend, nullptr) << "set up once the first page's video is on screen";
  EXPECT_FALSE(w_.frontend->held);
  w_.advance(1000);
  EXPECT_EQ(p->stats_polls, 1);
  EXPECT_EQ(p->audio_polls, 4);
  w_.advance(1000);
  EXPECT_EQ(p->stats_polls, 2) << "once a second until the video has shown a frame";
  p->frames = 42;
  w_.advance(1000);
  EXPECT_EQ(p->stats_polls, 3) << "armed before the frame";
  EXPECT_EQ(state()["participants"][0]["framesDecoded"], 42);
  w_.advance(1000);
  EXPECT_EQ(p->stats_polls, 4) << "and until its quality is measured";
  core::StatsSample sample;
  sample.bytes = 1000;
  sample.packets_received = 10;
  sample.fps = 15;
  p->stats(sample);  // the answer to poll 4: a first figure, nothing to rate it against
  w_.advance(1000);
  EXPECT_EQ(p->stats_polls, 5);
  sample.bytes = 3000;
  sample.packets_received = 30;
  p->stats(sample);
  ASSERT_EQ(state()["participants"][0]["quality"]["score"], 4);
  w_.advance(1000);  // the poll armed before the figures
  const int stats_at = p->stats_polls;
  const int audio_at = p->audio_polls;
  w_.advance(6000);
  EXPECT_EQ(p->stats_polls - stats_at, 3) << "video shows, quality measured: every 2 s";
  EXPECT_EQ(p->audio_polls - audio_at, 24) << "the levels still every 250 ms (no tap here: never asleep)";
}

TEST_F(ClientWiring, AConnectionThatShowsNoVideoForTenSecondsRestsAtTwoSecondStatsToo) {
  FakePeer* p = kiosk_offering_to_7();
  ASSERT_NE(p, nullptr);
  p->set_state(core::PeerState::kConnected);
  videos_on_screen({7});
  w_.tick();
  core::StatsSample sample;
  sample.packets_received = 10;
  sample.bytes = 1000;
  for (int i = 0; i < 4; ++i) {  // audio only: bytes flow, no frame is ever decoded
    w_.advance(1000);
    sample.bytes = *sample.bytes + 2000;
    sample.packets_received = *sample.packets_received + 20;
    p->stats(sample);
  }
  ASSERT_TRUE(state()["participants"][0]["quality"]["score"].get<int>() > 0) << "measured";
  int at = p->stats_polls;
  w_.advance(4000);
  EXPECT_EQ(p->stats_polls - at, 4) << "no frame yet, connected 8 s: a video may still come";
  w_.advance(4000);  // 12 s connected
  at = p->stats_polls;
  w_.advance(6000);
  EXPECT_EQ(p->stats_polls - at, 3) << "no video for 10 s (a participant without a camera): every 2 s";
}

// ---- bridges are destroyed on a later tick ---------------------------------------------

TEST_F(ClientWiring, ClosedSocketIsDestroyedOnALaterTickNotInItsCallback) {
  start("#room=1&user=5&kiosk=1");
  enter_room({});
  const Made<FakeSocket> first = w_.sockets.back();
  first->closed_by_peer(1006, "gone");
  EXPECT_TRUE(first.alive()) << "retired, not destroyed, inside its own callback";
  EXPECT_EQ(state()["phase"], "reconnecting");
  w_.tick();
  EXPECT_FALSE(first.alive());
  EXPECT_EQ(w_.destroyed_in_own_callback, 0);
}

TEST_F(ClientWiring, LeavingPeerLosesItsVideoAndIsDestroyedOnALaterTick) {
  start("#room=1&user=5&kiosk=1");
  enter_room({7});
  ASSERT_EQ(w_.peers.size(), 1u);
  const Made<FakePeer> peer = w_.peers[0];
  peer->remote_stream(JsRef::of(std::string("s7")));
  server_says(proto::ParticipantLeft{7});
  EXPECT_EQ(w_.overlay->removed, std::vector<core::UserId>{7});
  EXPECT_TRUE(peer.alive()) << "closed inside the socket's callback: destroyed later";
  w_.tick();
  EXPECT_FALSE(peer.alive());
  EXPECT_EQ(w_.destroyed_in_own_callback, 0);
}

TEST_F(ClientWiring, FinishedUploadIsDestroyedOnALaterTickAndAnnounced) {
  start("#room=1&user=5&kiosk=1");
  enter_room({});
  ASSERT_TRUE(client_->upload_file(PickedFile{JsRef::of(std::string("blob")), "report.pdf", 1234}));
  ASSERT_EQ(w_.uploads.size(), 1u);
  const Made<FakeUpload> up = w_.uploads[0];
  EXPECT_EQ(up->file.name, "report.pdf");
  EXPECT_EQ(text_of(up->file.file), "blob");
  EXPECT_EQ(up->api.url, "/upload");
  up->finish("/files/report.pdf");
  EXPECT_TRUE(up.alive());
  w_.tick();
  EXPECT_FALSE(up.alive());
  EXPECT_EQ(w_.destroyed_in_own_callback, 0);
  EXPECT_EQ(state()["uploads"][0]["state"], "done");
  EXPECT_TRUE(sent_contains("report.pdf"));
}

TEST_F(ClientWiring, FailedUploadIsDestroyedOnALaterTickAndSaysWhy) {
  start("#room=1&user=5&kiosk=1");
  enter_room({});
  ASSERT_TRUE(client_->upload_file(PickedFile{JsRef::of(std::string("blob")), "a.txt", 5}));
  const Made<FakeUpload> first = w_.uploads[0];
  first->fail("server said no");
  EXPECT_TRUE(first.alive());
  w_.tick();
  EXPECT_FALSE(first.alive());
  EXPECT_EQ(w_.destroyed_in_own_callback, 0);
  const Json up = state()["uploads"][0];
  EXPECT_EQ(up["state"], "failed");
  EXPECT_EQ(up["error"], "server said no");
}

TEST_F(ClientWiring, UploadFileRefusesNullAndQueuesAFileInAnyPhase) {
  start("#room=1&user=5");
  EXPECT_FALSE(client_->upload_file(PickedFile{}));
  EXPECT_TRUE(state()["uploads"].empty());
  EXPECT_TRUE(client_->upload_file(PickedFile{JsRef::of(std::string("f")), "名字.txt", 9}));
  const Json uploads = state()["uploads"];
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0]["name"], "名字.txt");
  EXPECT_NE(w_.frontend->glyphs.find("名字.txt"), std::string::npos);
}

// A countdown on screen: a frame when its number changes, not sixty a second (a page may
// wait for a server that is down for minutes).
TEST_F(ClientWiring, AReconnectingPageDrawsItsCountdownWhenTheNumberChanges) {
  start("#room=1&user=5");
  ASSERT_TRUE(click("join/button"));
  w_.media->grant();
  w_.sockets.back()->closed_by_peer(1006, "unreachable");  // never opened
  frames(12);  // past the layout's settling
  const Json s = state();
  ASSERT_EQ(s["phase"], "reconnecting");
  ASSERT_TRUE(s["reconnectAt"].is_number());
  EXPECT_EQ(w_.frontend->frame_requests, 0) << "the last frame asked for no other";
  w_.advance(1000);
  EXPECT_GE(w_.frontend->frame_requests, 1) << "the countdown's next number is drawn";
}

// ---- a new Session ----------------------------------------------------------------------

TEST_F(ClientWiring, AnotherServerIsANewSessionThatGetsTheCameraAndTheChatPanel) {
  start("#room=1&user=5");
  ASSERT_TRUE(click("join/button"));
  w_.media->grant();
  const Made<FakeSocket> old_socket = w_.sockets.back();
  old_socket->closed_by_peer(1006, "unreachable");  // never opened
  frames(2);
  replace_text("join/server", "ws://127.0.0.1:9090/groupcall");
  ASSERT_TRUE(click("join/button"));
  w_.tick();
  EXPECT_FALSE(old_socket.alive()) << "the old Session's bridges are gone";
  ASSERT_NE(socket(), nullptr);
  EXPECT_EQ(socket()->url, "ws://127.0.0.1:9090/groupcall");
  Json s = state();
  EXPECT_EQ(s["server"], "ws://127.0.0.1:9090/groupcall");
  EXPECT_EQ(w_.media->requests, 3) << "the new Session asks for the camera again (after the preview and the first)";
  EXPECT_TRUE(s["self"]["mediaReady"].get<bool>()) << "and gets the open one at once";
  EXPECT_EQ(w_.storage["server"], std::optional<std::string>("ws://127.0.0.1:9090/groupcall"));

  enter_room({7});
  FakePeer* send = peer_of(core::Direction::kSendOnly);
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(text_of(send->local_stream), "stream-1");
  // The chat panel is open on a wide screen: the new Session learns it from the next frame,
  // so a line arriving now is read, not unread.
  server_says(proto::ReceiveTextMessage{7, "hi"});
  frames(2);
  EXPECT_EQ(state()["unread"], 0);
  EXPECT_EQ(w_.destroyed_in_own_callback, 0);
}

// ---- devices ---------------------------------------------------------------------------

std::vector<MediaDevice> two_cameras() {
  return {{MediaDevice::Kind::kCamera, "cam-1", "Front"},
          {MediaDevice::Kind::kCamera, "cam-2", "Back"},
          {MediaDevice::Kind::kMicrophone, "mic-1", "Mic"}};
}

TEST_F(ClientWiring, DeviceChosenBeforeTheCameraOpensIsWhatGetUserMediaAsksFor) {
  start("#room=1&user=5");
  w_.media->devices(two_cameras());
  EXPECT_NE(w_.frontend->glyphs.find("Back"), std::string::npos);
  ASSERT_TRUE(click("join/button"));
  enter_room({});
  ASSERT_TRUE(click("controls/devices"));
  ASSERT_TRUE(click("camera/1"));
  EXPECT_TRUE(w_.media->switches.empty()) << "no camera open: nothing to switch";
  EXPECT_EQ(w_.media->chosen.camera_id, "cam-2");
  EXPECT_EQ(w_.media->chosen.width, 640) << "the fragment's size stays";
  // The popup shows the media bridge's choice: picking cam-2 again changes nothing.
  const int sets = w_.media->constraint_sets;
  ASSERT_TRUE(click("controls/devices"));
  ASSERT_TRUE(click("camera/1"));
  EXPECT_EQ(w_.media->constraint_sets, sets);
  w_.media->grant();
  EXPECT_EQ(w_.media->camera, "cam-2");
}

TEST_F(ClientWiring, DeviceSwitchSwapsTheSendTracksOnly) {
  start("#room=1&user=5&w=320&h=240");
  EXPECT_EQ(w_.media->chosen.width, 320);
  w_.media->devices(two_cameras());
  ASSERT_TRUE(click("join/button"));
  w_.media->grant();
  enter_room({7});
  FakePeer* send = peer_of(core::Direction::kSendOnly);
  FakePeer* recv = peer_of(core::Direction::kRecvOnly);
  ASSERT_TRUE(send && recv);
  ASSERT_TRUE(click("controls/devices"));
  ASSERT_TRUE(click("camera/1"));
  ASSERT_EQ(w_.media->switches.size(), 1u);
  EXPECT_EQ(w_.media->switches[0], std::make_pair(std::string("cam-2"), std::string()));
  w_.media->finish_switch();
  ASSERT_EQ(send->replaced.size(), 1u);
  EXPECT_EQ(text_of(send->replaced[0].second), "video:cam-2");
  EXPECT_FALSE(send->replaced[0].first) << "the microphone did not change";
  EXPECT_TRUE(recv->replaced.empty());
  // The popup shows what the media bridge holds: choosing cam-2 again is no choice at all.
  ASSERT_TRUE(click("controls/devices"));
  ASSERT_TRUE(click("camera/1"));
  EXPECT_EQ(w_.media->switches.size(), 1u);
  // ...and choosing cam-1 is.
  ASSERT_TRUE(click("controls/devices"));
  ASSERT_TRUE(click("camera/0"));
  EXPECT_EQ(w_.media->switches.size(), 2u);
}

// ---- screen sharing and pinning (issue 13 items 1, 4) ------------------------------------

TEST_F(ClientWiring, ShareScreenReplacesTheSendVideoTrackAndStopSharingPutsTheCameraBack) {
  FakePeer* send = publishing_in_room({7});
  FakePeer* recv = peer_of(core::Direction::kRecvOnly);
  ASSERT_TRUE(send && recv);
  send->offer("offer");
  const std::size_t peers_before = w_.peers.size();
  const std::size_t frames_before = socket()->sent.size();
  EXPECT_EQ(state()["self"]["sharing"], false);

  ASSERT_TRUE(click("controls/share"));
  EXPECT_EQ(w_.media->screen_requests, 1);
  EXPECT_EQ(state()["self"]["screenShare"], "starting");
  w_.media->share_screen();
  ASSERT_EQ(send->video_tracks.size(), 1u);
  EXPECT_EQ(text_of(send->video_tracks[0]), "screen-track");
  EXPECT_TRUE(recv->video_tracks.empty());
  EXPECT_EQ(text_of(w_.overlay->self), "screen-stream");
  EXPECT_TRUE(w_.overlay->self_is_screen) << "shown whole, not mirrored";
  EXPECT_EQ(state()["self"]["sharing"], true);

  ASSERT_TRUE(click("controls/share"));  // now "Stop sharing"
  EXPECT_EQ(w_.media->screen_stops, 1);
  ASSERT_EQ(send->video_tracks.size(), 2u);
  EXPECT_EQ(text_of(send->video_tracks[1]), "camera-track");
  EXPECT_EQ(text_of(w_.overlay->self), text_of(w_.media->stream_ref));
  EXPECT_FALSE(w_.overlay->self_is_screen);
  EXPECT_EQ(state()["self"]["sharing"], false);
  EXPECT_EQ(w_.peers.size(), peers_before) << "no new connection";
  EXPECT_EQ(socket()->sent.size(), frames_before) << "no new offer, no message";
}

TEST_F(ClientWiring, TheBrowsersStopButtonBringsTheCameraBack) {
  FakePeer* send = publishing_in_room({7});
  ASSERT_TRUE(click("controls/share"));
  w_.media->share_screen();
  w_.media->screen_ended();
  EXPECT_EQ(w_.media->screen_stops, 1);
  ASSERT_EQ(send->video_tracks.size(), 2u);
  EXPECT_EQ(text_of(send->video_tracks.back()), "camera-track");
  EXPECT_EQ(state()["self"]["sharing"], false);
}

TEST_F(ClientWiring, ACancelledPickerIsANoticeAndTheCallGoesOn) {
  FakePeer* send = publishing_in_room({7});
  ASSERT_TRUE(click("controls/share"));
  w_.media->screen_refused("NotAllowedError: Permission denied by user", true);
  const Json s = state();
  EXPECT_EQ(s["phase"], "in-room");
  EXPECT_EQ(s["self"]["sharing"], false);
  EXPECT_EQ(s["notices"].back()["code"], "screen-share-failed");
  EXPECT_TRUE(send->video_tracks.empty()) << "the camera was never replaced";
  frames(2);
  EXPECT_TRUE(click("controls/share")) << "and sharing can be tried again";
  EXPECT_EQ(w_.media->screen_requests, 2);
}

TEST_F(ClientWiring, ASendConnectionMadeWhileSharingCarriesTheScreen) {
  FakePeer* send = publishing_in_room({7});
  send->offer("offer");
  ASSERT_TRUE(click("controls/share"));
  w_.media->share_screen();
  // The send connection fails after its offer: a planned rejoin, a new socket and join.
  FakeSocket* old = socket();
  send->set_state(core::PeerState::kFailed);
  old->closed_by_peer(1000, "");
  w_.tick();
  ASSERT_NE(socket(), nullptr);
  ASSERT_NE(socket(), old);
  enter_room({7});
  FakePeer* again = peer_of(core::Direction::kSendOnly);
  ASSERT_NE(again, nullptr);
  ASSERT_NE(again, send);
  ASSERT_FALSE(again->video_tracks.empty());
  EXPECT_EQ(text_of(again->video_tracks.front()), "screen-track");
  EXPECT_EQ(state()["self"]["sharing"], true);
}

TEST_F(ClientWiring, DoubleClickingATilePinsItInState) {
  publishing_in_room({7, 8});
  frames(2);
  EXPECT_TRUE(state().contains("pinned"));
  EXPECT_TRUE(state()["pinned"].is_null());
  Json tile;
  const Json before = state();
  for (const Json& p : before["participants"])
    if (p["id"] == 8) tile = p["tile"];
  ASSERT_TRUE(tile.is_object());
  ImGuiIO& io = ImGui::GetIO();
  io.AddMousePosEvent(tile["x"].get<float>() + tile["w"].get<float>() / 2, tile["y"].get<float>() + tile["h"].get<float>() / 2);
  frame();
  for (int i = 0; i < 2; ++i) {
    io.AddMouseButtonEvent(0, true);
    frame();
    io.AddMouseButtonEvent(0, false);
    frame();
  }
  frames(2);
  EXPECT_EQ(state()["pinned"], 8);
}

// ---- sound -----------------------------------------------------------------------------

TEST_F(ClientWiring, SoundBlockedComesFromTheOverlayAndEnableSoundClearsIt) {
  start("#room=1&user=5&kiosk=1");
  enter_room({7});
  EXPECT_FALSE(state()["soundBlocked"].get<bool>());
  w_.overlay->block(true);
  EXPECT_TRUE(state()["soundBlocked"].get<bool>());
  frame();
  EXPECT_NE(client_->regions_json().find("sound_hint"), std::string::npos);
  client_->enable_sound();
  EXPECT_EQ(w_.overlay->enables, 1);
  EXPECT_FALSE(state()["soundBlocked"].get<bool>());
  frame();
  EXPECT_EQ(client_->regions_json().find("sound_hint"), std::string::npos);
}

// ---- start-up without a canvas ---------------------------------------------------------

TEST_F(ClientWiring, NoCanvasSaysSoOnTheLoadingScreen) {
  w_.frontend_fails = true;
  start("#room=1&user=5&kiosk=1");
  EXPECT_TRUE(w_.startup_errors.empty()) << "the kiosk's canvas is set up later";
  w_.advance(kFirstFrameHoldMs);
  w_.advance(kFirstFrameHoldMs);
  ASSERT_EQ(w_.startup_errors.size(), 1u) << "said once";
  EXPECT_NE(w_.startup_errors[0].find("WebGL2"), std::string::npos);
  const Json s = state();
  EXPECT_EQ(s["framesDrawn"], 0);
  EXPECT_FALSE(s["framesPending"].get<bool>());
  EXPECT_EQ(w_.sockets.size(), 1u) << "the kiosk still joins";
}

// ---- speaking and quality (issue 13 items 2, 3) ---------------------------------------------

// The participant's entry in state().participants.
Json participant_in(const Json& s, core::UserId id) {
  for (const Json& p : s["participants"])
    if (p["id"] == id) return p;
  return Json();
}

TEST_F(ClientWiring, AudioLevelsArePolledEveryQuarterSecondAndMakeTheActiveSpeaker) {
  auto [of7, of8] = receivers_of_7_and_8();
  videos_on_screen({7, 8});
  of7->set_state(core::PeerState::kConnected);
  of8->set_state(core::PeerState::kConnected);
  w_.advance(250);
  EXPECT_EQ(of7->audio_polls, 1);
  EXPECT_EQ(of8->audio_polls, 1);
  EXPECT_EQ(of7->stats_polls, 0) << "the full report only once a second";
  Json s = state();
  EXPECT_TRUE(s["activeSpeaker"].is_null());
  EXPECT_FALSE(participant_in(s, 7)["speaking"].get<bool>());
  EXPECT_EQ(participant_in(s, 7)["audioLevel"], 0);

  frames(5);  // settled
  w_.frontend->frame_requests = 0;
  of7->audio(core::AudioSample{0.3, std::nullopt, std::nullopt});
  of8->audio(core::AudioSample{0.001, std::nullopt, std::nullopt});
  w_.advance(250);
  EXPECT_GT(w_.frontend->frame_requests, 0) << "a ring appeared: drawn";
  s = state();
  EXPECT_EQ(s["activeSpeaker"], 7);
  EXPECT_TRUE(participant_in(s, 7)["speaking"].get<bool>());
  EXPECT_DOUBLE_EQ(participant_in(s, 7)["audioLevel"].get<double>(), 0.3);
  EXPECT_FALSE(participant_in(s, 8)["speaking"].get<bool>());
  EXPECT_DOUBLE_EQ(participant_in(s, 8)["audioLevel"].get<double>(), 0.001);

  // Nothing changes on the tiles: no frame (an idle room draws nothing).
  frames(5);
  w_.frontend->frame_requests = 0;
  of7->audio(core::AudioSample{0.3, std::nullopt, std::nullopt});
  w_.advance(250);
  EXPECT_EQ(w_.frontend->frame_requests, 0);

  // 8 speaks too, more quietly: a ring and nothing else moves, so one frame without the
  // settling ones (a new active speaker above asked for those).
  w_.frontend->one_frame_requests = 0;
  of7->audio(core::AudioSample{0.3, std::nullopt, std::nullopt});
  of8->audio(core::AudioSample{0.1, std::nullopt, std::nullopt});
  w_.advance(250);
  EXPECT_TRUE(participant_in(state(), 8)["speaking"].get<bool>());
  EXPECT_EQ(state()["activeSpeaker"], 7);
  EXPECT_EQ(w_.frontend->frame_requests, 1);
  EXPECT_EQ(w_.frontend->one_frame_requests, 1) << "a ring alone: one frame";
}

// The name the mirror's last tree gives `id` (its "participant/<id>" entry).
std::string mirrored_participant(const std::string& tree, core::UserId id) {
  const Json parsed = Json::parse(tree);
  for (const Json& n : parsed["nodes"])
    if (n["id"] == "participant/" + std::to_string(id)) return n["name"].get<std::string>();
  return "";
}

TEST_F(ClientWiring, WhoIsSpeakingReachesTheMirrorAtMostOnceASecondAndTheLatestIsNeverLost) {
  auto [of7, of8] = receivers_of_7_and_8();
  videos_on_screen({7, 8});
  of7->set_state(core::PeerState::kConnected);
  of8->set_state(core::PeerState::kConnected);
  ASSERT_NE(w_.a11y, nullptr);
  w_.advance(2000);
  frames(5);
  const int settled = w_.a11y->updates;

  // Seven seconds of 7 and 8 saying a word every 1.5 s, 0.75 s apart (speaking lasts a
  // second after the last loud sample): the rings are drawn at each change, the mirror
  // follows at most once a second.
  int redraws = 0;
  for (int i = 0; i < 28; ++i) {
    of7->audio(core::AudioSample{i % 6 == 0 ? 0.3 : 0.001, std::nullopt, std::nullopt});
    of8->audio(core::AudioSample{i % 6 == 3 ? 0.3 : 0.001, std::nullopt, std::nullopt});
    w_.advance(250);
    if (w_.frontend->frame_requests > 0) ++redraws;
    frames(2);
  }
  const int trees = w_.a11y->updates - settled;
  EXPECT_GE(redraws, 10) << "the live figures changed often";
  EXPECT_LE(trees, 8) << "at most one tree a second, and one at the start; " << redraws << " redraws";
  EXPECT_LT(trees, redraws - 4) << "fewer trees than live changes";

  // Both speak on: the change reaches the mirror within the second.
  for (int i = 0; i < 6; ++i) {
    of7->audio(core::AudioSample{0.3, std::nullopt, std::nullopt});
    of8->audio(core::AudioSample{0.3, std::nullopt, std::nullopt});
    w_.advance(250);
    frames(1);
  }
  EXPECT_NE(mirrored_participant(w_.a11y->last, 7).find("speaking"), std::string::npos) << w_.a11y->last;
  EXPECT_NE(mirrored_participant(w_.a11y->last, 8).find("speaking"), std::string::npos) << w_.a11y->last;

  // A change of the room itself is not held back: 8 leaves, at the next frame.
  const int before = w_.a11y->updates;
  server_says(proto::ParticipantLeft{8});
  frames(2);
  EXPECT_EQ(w_.a11y->updates, before + 1);
  EXPECT_EQ(mirrored_participant(w_.a11y->last, 8), "");
}

TEST_F(ClientWiring, EnergyCountersOfOneConnectionGiveTheLevelBetweenTwoPolls) {
  start("#room=1&user=5&kiosk=1");
  enter_room({7});
  FakePeer* p = peer_of(core::Direction::kRecvOnly);
  ASSERT_NE(p, nullptr);
  p->set_state(core::PeerState::kConnected);
  p->audio(core::AudioSample{0.0, 1.0, 10.0});
  p->audio(core::AudioSample{0.0, 1.0 + 0.01 * 0.25, 10.25});  // RMS 0.1 over the interval
  EXPECT_NEAR(participant_in(state(), 7)["audioLevel"].get<double>(), 0.1, 1e-9);
}

TEST_F(ClientWiring, QualityComesFromEachOwnersStatsAndUnknownIsZero) {
  auto [of7, of8] = receivers_of_7_and_8();
  videos_on_screen({7, 8});
  of7->set_state(core::PeerState::kConnected);
  w_.advance(1000);
  EXPECT_EQ(of7->stats_polls, 1);
  core::StatsSample sample;
  sample.bytes = 0;
  sample.packets_received = 0;
  sample.packets_lost = 0;
  sample.fps = 15;
  sample.width = 320;
  sample.height = 240;
  sample.jitter_s = 0.005;
  sample.rtt_s = 0.03;
  of7->stats(sample);
  w_.advance(1000);
  sample.bytes = 40000;  // 320 kbit in a second
  sample.packets_received = 100;
  of7->stats(sample);
  const Json s = state();
  const Json q = participant_in(s, 7)["quality"];
  EXPECT_EQ(q["score"], 4);
  EXPECT_DOUBLE_EQ(q["bitrateKbps"].get<double>(), 320);
  EXPECT_EQ(q["fps"], 15);
  EXPECT_EQ(q["width"], 320);
  EXPECT_EQ(q["height"], 240);
  EXPECT_EQ(q["lossPct"], 0);
  EXPECT_DOUBLE_EQ(q["rttMs"].get<double>(), 30);
  EXPECT_DOUBLE_EQ(q["jitterMs"].get<double>(), 5);
  const Json unknown = participant_in(s, 8)["quality"];
  for (const char* key : {"score", "fps", "bitrateKbps", "lossPct", "rttMs", "jitterMs", "width", "height"}) {
    ASSERT_TRUE(unknown[key].is_number()) << key << " is never null";
    EXPECT_EQ(unknown[key], 0) << key;
  }
  (void)of8;
}

// Issue 12 item 5: where every level comes from the audio worklet, its reports pace the level
// reads (no timer beside them), and a silent call's levels wake the page's main thread not
// at all: the worklet reports nothing in silence, and a SoundWake waits for its first sound.
TEST_F(ClientWiring, TheAudioWorkletsReportsPaceTheLevelReadsAndASilentCallSleepsUntilSound) {
  auto [of7, of8] = tapped_receivers_of_7_and_8(0.001);  // -60 dBov: room noise no ring or meter shows
  EXPECT_EQ(of7->audio_polls, 1);
  ASSERT_NE(w_.sound_wake, nullptr);
  EXPECT_TRUE(w_.sound_wake->armed()) << "silence, every level the worklet's: asleep";
  EXPECT_FALSE(w_.sound_wake->any_report);
  w_.advance(3000);
  EXPECT_EQ(of7->audio_polls, 1) << "no read in silence";
  w_.sound_wake->report(false);
  EXPECT_EQ(of7->audio_polls, 1) << "a report without sound wakes nothing";

  // Sound: each report is read at once, and no timer reads between them.
  of8->tapped = 0.3;
  w_.sound_wake->report(true);
  EXPECT_EQ(of8->audio_polls, 2) << "the first sound is read at once";
  EXPECT_TRUE(participant_in(state(), 8)["speaking"].get<bool>());
  EXPECT_TRUE(w_.sound_wake->armed());
  EXPECT_TRUE(w_.sound_wake->any_report) << "while there is sound, every report";
  const auto timer_arms = [&] {
    int n = 0;
    for (const auto& t : w_.timers) n += t->arms;
    return n;
  };
  const int arms_before = timer_arms();
  for (int i = 0; i < 12; ++i) {
    w_.advance(250);
    w_.sound_wake->report(true);
  }
  EXPECT_EQ(of8->audio_polls, 14) << "one read a report, none from a timer beside them";
  // No timer beside the reports at all: only the stats polls arm theirs (3 in these 3 s).
  EXPECT_LE(timer_arms() - arms_before, 3) << "timers armed during 12 reports";

  // The sound stops; the worklet's last report says so, then nothing. The ring's hold (1 s)
  // ends on the timer, then the page sleeps again.
  of8->tapped = 0.0;
  w_.advance(250);
  w_.sound_wake->report(false);
  EXPECT_EQ(of8->audio_polls, 15);
  EXPECT_TRUE(participant_in(state(), 8)["speaking"].get<bool>()) << "held";
  w_.advance(1500);
  EXPECT_FALSE(participant_in(state(), 8)["speaking"].get<bool>());
  EXPECT_GE(of8->audio_polls, 17) << "the hold's reads";
  EXPECT_TRUE(w_.sound_wake->armed());
  EXPECT_FALSE(w_.sound_wake->any_report) << "the hold is over, all silent: asleep again";
  const int polls = of8->audio_polls;
  w_.advance(1000);
  EXPECT_EQ(of8->audio_polls, polls);

  // A level that came from getStats (no AudioContext runs): read every 250 ms, never asleep.
  of7->tapped.reset();
  w_.sound_wake->report(true);
  EXPECT_FALSE(w_.sound_wake->armed());
  w_.advance(1000);
  EXPECT_EQ(of8->audio_polls, polls + 5);
  EXPECT_FALSE(w_.sound_wake->armed());
  // The analyser's levels without the worklet (an insecure origin): no report would come.
  of7->tapped = 0.0;
  w_.sound_wake->is_available = false;
  w_.advance(1000);
  EXPECT_EQ(of8->audio_polls, polls + 9);
  EXPECT_FALSE(w_.sound_wake->armed());
}

TEST_F(ClientWiring, SoundReportsThatStopWithTheAudioContextWakeTheReadsAndTheRingEnds) {
  auto [of7, of8] = tapped_receivers_of_7_and_8(0.0);
  ASSERT_NE(w_.sound_wake, nullptr);
  of8->tapped = 0.3;
  w_.sound_wake->report(true);
  w_.advance(250);
  w_.sound_wake->report(true);
  EXPECT_TRUE(participant_in(state(), 8)["speaking"].get<bool>());
  const int polls = of8->audio_polls;
  // The context stops (suspended, interrupted): no report, not even a silent one, and the
  // taps read nothing. The bridge fires the wake; the levels come from getStats from then on.
  of7->tapped.reset();
  of8->tapped.reset();
  w_.sound_wake->stopped();
  EXPECT_EQ(of8->audio_polls, polls + 1) << "read at once";
  EXPECT_FALSE(w_.sound_wake->armed()) << "no reports to wait for";
  w_.advance(500);
  EXPECT_EQ(of8->audio_polls, polls + 3) << "every 250 ms";
  w_.advance(1500);
  EXPECT_FALSE(participant_in(state(), 8)["speaking"].get<bool>()) << "the ring ends";
}

TEST_F(ClientWiring, AReadTheWorkletWokeDoesNotAskWhetherTheWorkletRuns) {
  auto [of7, of8] = tapped_receivers_of_7_and_8(0.0);
  ASSERT_NE(w_.sound_wake, nullptr);
  ASSERT_TRUE(w_.sound_wake->is_armed);
  const int checks = w_.sound_wake->availability_checks;
  of8->tapped = 0.3;
  for (int i = 0; i < 8; ++i) {
    w_.sound_wake->report(true);
    w_.advance(250);
  }
  of8->tapped = 0.0;
  w_.sound_wake->report(false);
  EXPECT_EQ(w_.sound_wake->availability_checks, checks) << "each read came with a report: the worklet runs";
  EXPECT_TRUE(participant_in(state(), 8)["speaking"].get<bool>());
  EXPECT_TRUE(w_.sound_wake->is_armed) << "still read at the next report";
  // The hold's read (a timer, no report woke it) asks whether the worklet still runs; it
  // does not (its module failed): the reads go on every 250 ms.
  w_.sound_wake->is_available = false;
  const int polls = of8->audio_polls;
  w_.advance(3000);
  EXPECT_GT(w_.sound_wake->availability_checks, checks);
  EXPECT_GT(of8->audio_polls, polls + 3) << "no worklet: the timer reads every 250 ms";
}

TEST_F(ClientWiring, OpeningTheQualityPanelAsksForAReportAtOnceThenEverySecond) {
  FakePeer* send = publishing_in_room({7});
  ASSERT_NE(send, nullptr);
  FakePeer* p = peer_of(core::Direction::kRecvOnly);
  ASSERT_NE(p, nullptr);
  p->offer("offer-7");
  server_says(proto::ReceiveVideoAnswer{7, "answer-7"});
  p->set_state(core::PeerState::kConnected);
  send->set_state(core::PeerState::kConnected);
  p->frames = 30;
  core::StatsSample sample;
  sample.bytes = 1000;
  sample.packets_received = 10;
  sample.fps = 15;
  for (int i = 0; i < 3; ++i) {
    w_.advance(1000);
    sample.bytes = *sample.bytes + 2000;
    sample.packets_received = *sample.packets_received + 20;
    p->stats(sample);
    send->stats(sample);
  }
  w_.advance(2000);
  int at = p->stats_polls;
  w_.advance(4000);
  ASSERT_EQ(p->stats_polls - at, 2) << "at rest: every 2 s";
  w_.advance(500);  // half-way to the next report
  at = p->stats_polls;
  ASSERT_TRUE(click("tile/7/quality"));
  EXPECT_EQ(p->stats_polls - at, 1) << "the panel's first report at once";
  at = p->stats_polls;
  w_.advance(3000);
  EXPECT_EQ(p->stats_polls - at, 3) << "then every second while it plots";
}

TEST_F(ClientWiring, ThePublishingConnectionIsSelfQualityAndNeverTheActiveSpeaker) {
  start("#room=1&user=5");
  ASSERT_TRUE(click("join/button"));
  w_.media->grant();
  enter_room({7});
  FakePeer* send = peer_of(core::Direction::kSendOnly);
  ASSERT_NE(send, nullptr);
  send->set_state(core::PeerState::kConnected);
  w_.advance(1000);
  EXPECT_EQ(send->stats_polls, 1) << "the publishing connection is polled too";
  core::StatsSample sample;
  sample.bytes = 0;
  sample.fps = 15;
  sample.limitation = "cpu";
  send->stats(sample);
  w_.advance(1000);
  sample.bytes = 25000;
  send->stats(sample);
  send->audio(core::AudioSample{0.5, std::nullopt, std::nullopt});
  w_.advance(250);
  const Json s = state();
  EXPECT_DOUBLE_EQ(s["self"]["quality"]["bitrateKbps"].get<double>(), 200);
  EXPECT_EQ(s["self"]["quality"]["fps"], 15);
  EXPECT_EQ(s["self"]["quality"]["limitation"], "cpu");
  EXPECT_DOUBLE_EQ(s["self"]["audioLevel"].get<double>(), 0.5);
  EXPECT_TRUE(s["activeSpeaker"].is_null()) << "your own voice never makes you the active speaker";
}

TEST_F(ClientWiring, TheActiveSpeakerWhoLeavesIsForgottenAndLateReportsAreDropped) {
  start("#room=1&user=5&kiosk=1");
  enter_room({7});
  videos_on_screen({7});
  const Made<FakePeer> peer = w_.peers[0];
  peer->set_state(core::PeerState::kConnected);
  peer->audio(core::AudioSample{0.3, std::nullopt, std::nullopt});
  w_.advance(250);
  ASSERT_EQ(state()["activeSpeaker"], 7);
  server_says(proto::ParticipantLeft{7});
  ASSERT_TRUE(peer.alive());
  peer->audio(core::AudioSample{0.3, std::nullopt, std::nullopt});  // already retired
  peer->stats(core::StatsSample{});
  w_.advance(250);
  const Json s = state();
  EXPECT_TRUE(s["activeSpeaker"].is_null());
  EXPECT_TRUE(s["participants"].empty());
  EXPECT_EQ(w_.destroyed_in_own_callback, 0);
}

// ---- state() -------------------------------------------------------------------------------

TEST_F(ClientWiring, StateJsonKeepsEveryFieldNameTheBrowserTestsRead) {
  start("#room=1&user=5&kiosk=1");
  enter_room({7});
  FakePeer* p = peer_of(core::Direction::kRecvOnly);
  ASSERT_NE(p, nullptr);
  client_->send_chat("hello");
  server_says(proto::FileUploaded{7, "a.pdf", "/files/a.pdf"});
  ASSERT_TRUE(client_->upload_file(PickedFile{JsRef::of(std::string("f")), "b.txt", 3}));
  frame();
  const Json s = state();
  EXPECT_TRUE(has_keys(s, {
                         "revision", "phase", "error", "reconnectAt", "reconnectAttempts", "server", "room",
                         "selfId", "self", "participants", "chat", "unread", "files", "uploads", "notices",
                         "stalls", "rejoins", "resubscribes", "liveSubscriptions", "maxLiveSubscriptions",
                         "maxFrameBytes", "largestFrameSent", "kiosk", "config", "refusedServer",
                         "refusedUpload", "refusedScreen", "certificateHint", "upload", "soundBlocked",
                         "language", "framesDrawn", "framesPending", "memory", "form", "activeSpeaker",
                         "pinned", "layout", "preview", "devices"}));
  EXPECT_TRUE(has_keys(s["preview"], {"state", "mic"}));
  EXPECT_TRUE(has_keys(s["devices"], {"cameras", "microphones", "camera", "microphone"}));
  EXPECT_TRUE(has_keys(s["error"], {"failure", "cause", "detail"}));
  EXPECT_TRUE(has_keys(s["self"], {"id", "publish", "muted", "cameraOff", "mediaReady", "mediaError", "tile",
                                   "audioLevel", "quality"}));
  EXPECT_TRUE(has_keys(s["self"]["quality"], {"bitrateKbps", "fps", "limitation"}));
  ASSERT_EQ(s["participants"].size(), 1u);
  const Json& who = s["participants"][0];
  EXPECT_TRUE(has_keys(who, {"id", "name", "prefix", "postfix", "tile", "media", "subscribed",
                                               "visible", "prefetch", "negotiated", "framesDecoded", "stalls",
                                               "audioLevel", "speaking", "quality"}));
  EXPECT_TRUE(has_keys(who["quality"], {"score", "fps", "bitrateKbps", "lossPct", "rttMs", "jitterMs", "width", "height"}));
  ASSERT_TRUE(who["tile"].is_object()) << "on screen in the kiosk grid";
  EXPECT_TRUE(has_keys(who["tile"], {"x", "y", "w", "h", "videoVisible"}));
  EXPECT_TRUE(has_keys(who["stalls"], {"detected", "acted"}));
  ASSERT_FALSE(s["chat"].empty());
  EXPECT_TRUE(has_keys(s["chat"][0], {"seq", "sender", "self", "text", "pending", "status", "truncated", "time"}));
  ASSERT_FALSE(s["files"].empty());
  EXPECT_TRUE(has_keys(s["files"][0], {"name", "url", "linkable", "uploader", "self", "pending", "status", "time"}));
  ASSERT_FALSE(s["uploads"].empty());
  EXPECT_TRUE(has_keys(s["uploads"][0], {"id", "name", "size", "percent", "state", "error"}));
  EXPECT_TRUE(has_keys(s["rejoins"], {"count", "lastCause", "pendingAt"}));
  EXPECT_TRUE(has_keys(s["config"], {"source", "servers", "problems", "uploads", "files", "iceServers", "language"}));
  EXPECT_TRUE(has_keys(s["upload"], {"url", "field", "urlPath"}));
  EXPECT_TRUE(has_keys(s["memory"], {"wasmHeapBytes", "wasmHeapUsedBytes"}));
  EXPECT_TRUE(has_keys(s["form"], {"server", "room", "user", "passwordBytes"}));
  // Values the e2e scenarios compare against.
  EXPECT_EQ(s["phase"], "in-room");
  EXPECT_EQ(s["selfId"], 5);
  EXPECT_EQ(s["room"], 1);
  EXPECT_EQ(s["server"], kPageServer);
  EXPECT_TRUE(s["kiosk"].get<bool>());
  EXPECT_EQ(s["self"]["publish"], "receive-only");
  EXPECT_TRUE(s["self"]["tile"].is_null()) << "a receive-only kiosk draws no self tile";
  EXPECT_EQ(s["memory"]["wasmHeapBytes"], 16777216);
  EXPECT_EQ(s["memory"]["wasmHeapUsedBytes"], 123456);
  EXPECT_TRUE(s["refusedServer"].is_null());
  EXPECT_EQ(s["config"]["source"], "none");
  EXPECT_EQ(s["language"], "en");
  EXPECT_EQ(s["maxFrameBytes"], 8192);
  EXPECT_EQ(s["maxLiveSubscriptions"], 25);
}


// ---- the pre-join check, the speaker layout and the meter (issue 13 items 2, 7) --------------

namespace prejoin {

// The fixture's test bodies live in namespace gc::app::test; these helpers are for them.
std::vector<MediaDevice> fake_devices() {
  return {{MediaDevice::Kind::kCamera, "cam-1", "Front"},
          {MediaDevice::Kind::kCamera, "cam-2", "Back"},
          {MediaDevice::Kind::kMicrophone, "mic-1", "Mic"},
          {MediaDevice::Kind::kMicrophone, "mic-2", "USB"}};
}

}  // namespace prejoin

TEST_F(ClientWiring, TheJoinScreenOpensThePreviewAndJoinHandsThatStreamToTheSession) {
  start("#room=1&user=5");
  EXPECT_EQ(w_.media->requests, 1) << "the preview asks for the camera on the join screen";
  EXPECT_EQ(state()["preview"]["state"], "starting");
  w_.media->grant();
  frames(3);
  Json s = state();
  EXPECT_EQ(s["preview"]["state"], "live");
  EXPECT_TRUE(s["preview"]["mic"].get<bool>());
  EXPECT_FALSE(s["self"]["mediaReady"].get<bool>()) << "the Session has not joined: not its stream yet";
  EXPECT_EQ(text_of(w_.overlay->self), "stream-1");
  ASSERT_EQ(w_.overlay->rects.size(), 1u) << "the preview's <video> is placed on the join screen";
  EXPECT_TRUE(w_.overlay->rects[0].is_self && w_.overlay->rects[0].visible);

  ASSERT_TRUE(click("join/button"));
  s = state();
  EXPECT_TRUE(s["self"]["mediaReady"].get<bool>()) << "joined with the open stream at once";
  EXPECT_EQ(w_.media->streams, 1) << "one getUserMedia for the preview and the call";
  EXPECT_EQ(w_.media->releases, 0);
  enter_room({7});
  FakePeer* send = peer_of(core::Direction::kSendOnly);
  ASSERT_NE(send, nullptr);
  EXPECT_EQ(text_of(send->local_stream), "stream-1");
}

TEST_F(ClientWiring, AReceiveOnlyPageHasNoPreview) {  // a kiosk or a refused link: requests == 0 above
  start("#room=1&user=5&publish=0");
  frames(2);
  EXPECT_EQ(w_.media->requests, 0);
  EXPECT_EQ(state()["preview"]["state"], "off");
  EXPECT_EQ(client_->regions_json().find("join/preview"), std::string::npos);
}

TEST_F(ClientWiring, AFailedJoinKeepsThePreviewALeaveStopsItUntilAsked) {
  start("#room=1&user=5&pw=wrong");
  w_.media->grant();
  ASSERT_TRUE(click("join/button"));
  socket()->opened();
  server_says(proto::PermissionDenied{});
  socket()->closed_by_peer(1000, "");  // the close the Session asked for completes
  frames(2);
  Json s = state();
  ASSERT_EQ(s["phase"], "failed");
  EXPECT_EQ(w_.media->releases, 0) << "back on the join screen: the camera stays open for the preview";
  EXPECT_EQ(s["preview"]["state"], "live");
  EXPECT_EQ(w_.media->streams, 1);

  ASSERT_TRUE(click("join/button"));
  w_.tick();
  enter_room({7});
  ASSERT_EQ(state()["phase"], "in-room");
  EXPECT_EQ(w_.media->streams, 1) << "the second join too";
  client_->leave();
  frames(2);
  EXPECT_EQ(w_.media->releases, 1) << "leaving turns the camera off";
  EXPECT_EQ(state()["preview"]["state"], "stopped");
  const int requests = w_.media->requests;
  w_.advance(5000);
  EXPECT_EQ(w_.media->requests, requests) << "and it stays off";
  ASSERT_TRUE(click("join/preview/start"));
  EXPECT_EQ(w_.media->requests, requests + 1);
}

TEST_F(ClientWiring, ADeniedPreviewSaysSoAndIsNotAskedAgainUntilJoin) {
  start("#room=1&user=5");
  w_.media->refuse("NotAllowedError: Permission denied", true);
  frames(2);
  EXPECT_EQ(state()["preview"]["state"], "denied");
  EXPECT_TRUE(state()["notices"].empty()) << "the preview's failure is not the Session's notice";
  w_.advance(3000);
  EXPECT_EQ(w_.media->requests, 1);
  ASSERT_TRUE(click("join/button"));
  EXPECT_EQ(w_.media->requests, 2) << "joining asks again (the user may have allowed it meanwhile)";
}

TEST_F(ClientWiring, TheChosenDevicesAreRememberedAndPreferredNextTime) {
  start("#room=1&user=5");
  w_.media->devices(prejoin::fake_devices());
  w_.media->grant();
  ASSERT_TRUE(click("join/camera"));
  ASSERT_TRUE(click("join/camera/1"));
  ASSERT_EQ(w_.media->switches.size(), 1u) << "the room's device switching, reused";
  EXPECT_EQ(w_.media->switches[0].first, "cam-2");
  w_.media->finish_switch();
  ASSERT_TRUE(click("join/mic"));
  ASSERT_TRUE(click("join/mic/1"));
  w_.media->finish_switch();
  EXPECT_EQ(w_.storage["camera"], std::optional<std::string>("cam-2"));
  EXPECT_EQ(w_.storage["mic"], std::optional<std::string>("mic-2"));
  Json devices = state()["devices"];
  EXPECT_EQ(devices["camera"], "cam-2");
  EXPECT_EQ(devices["cameras"].size(), 2u);
  EXPECT_EQ(devices["microphones"][1]["label"], "USB");

  // A reload: a new Client on the same storage asks for those devices.
  client_.reset();
  w_.media = nullptr;
  start("#room=1&user=5");
  EXPECT_EQ(w_.media->chosen.camera_id, "cam-2");
  EXPECT_EQ(w_.media->chosen.microphone_id, "mic-2");
  EXPECT_EQ(w_.media->chosen.width, 640) << "the size stays the fragment's";
}

TEST_F(ClientWiring, ThePreviewMeterRedrawsOnlyWhenItsStepChangesAtMostTenTimesASecond) {
  start("#room=1&user=5");
  w_.media->grant();
  frames(5);
  w_.frontend->frame_requests = 0;
  w_.advance(2000);
  EXPECT_GT(w_.media->level_reads, 10) << "read every 100 ms on the join screen";
  EXPECT_EQ(w_.frontend->frame_requests, 0) << "a silent microphone draws nothing";
  EXPECT_EQ(state()["self"]["audioLevel"], 0);

  // A level that changes at every read: frames, but at most one per 100 ms.
  int requested = 0;
  for (int i = 0; i < 20; ++i) {
    w_.media->level = (i / 2) % 2 ? 0.3 : 0.01;  // another step at every 100 ms read
    w_.advance(50);
    if (w_.frontend->frame_requests > 0) {
      ++requested;
      frame();  // the browser draws the requested frame
    }
  }
  EXPECT_GT(requested, 3);
  EXPECT_LE(requested, 10) << "1 s of changes: never more than 10 frames";
  EXPECT_GT(state()["self"]["audioLevel"].get<double>(), 0);

  // A steady level: nothing more.
  w_.media->level = 0.3;
  w_.advance(300);
  if (w_.frontend->frame_requests > 0) frame();
  w_.frontend->frame_requests = 0;
  w_.advance(1000);
  EXPECT_EQ(w_.frontend->frame_requests, 0);

  // In the room the meter reads getStats: the analyser closes.
  ASSERT_TRUE(click("join/button"));
  enter_room({});
  const int stops = w_.media->level_stops;
  const int reads = w_.media->level_reads;
  w_.advance(1000);
  EXPECT_GT(w_.media->level_stops, stops - 1);
  EXPECT_LE(w_.media->level_reads, reads + 1);
}

TEST_F(ClientWiring, TheMeterBesideMuteRedrawsOnItsOwnStepAndNeverWhileMuted) {
  FakePeer* send = publishing_in_room({7});
  ASSERT_NE(send, nullptr);
  send->set_state(core::PeerState::kConnected);
  w_.advance(1000);  // the first polls (the room's own redraws)
  frames(5);
  w_.frontend->frame_requests = 0;
  send->audio(core::AudioSample{0.0, std::nullopt, std::nullopt});
  w_.advance(250);
  EXPECT_EQ(w_.frontend->frame_requests, 0) << "silence: nothing lit, nothing drawn";
  send->audio(core::AudioSample{0.2, std::nullopt, std::nullopt});
  w_.advance(120);
  EXPECT_GT(w_.frontend->frame_requests, 0) << "the meter lit up";
  frames(2);
  w_.frontend->frame_requests = 0;
  send->audio(core::AudioSample{0.21, std::nullopt, std::nullopt});  // the same step
  w_.advance(250);
  EXPECT_EQ(w_.frontend->frame_requests, 0);

  ASSERT_TRUE(click("controls/mute"));
  frames(2);
  w_.frontend->frame_requests = 0;
  for (double level : {0.5, 0.01, 0.3}) {
    send->audio(core::AudioSample{level, std::nullopt, std::nullopt});
    w_.advance(250);
  }
  EXPECT_EQ(w_.frontend->frame_requests, 0) << "muted: the meter shows nothing whatever is measured";
}

TEST_F(ClientWiring, TheLayoutComesFromTheFragmentAndABadValueIsReported) {
  start("#room=1&user=5&kiosk=1&layout=speaker");
  EXPECT_EQ(state()["layout"], "speaker");
  client_.reset();
  start("#room=1&user=5&kiosk=1&layout=film");
  EXPECT_EQ(state()["layout"], "grid");
  EXPECT_TRUE(std::any_of(w_.console.begin(), w_.console.end(), [](const auto& line) {
    return line.second.find("layout: expected speaker or grid") != std::string::npos;
  }));
}

// A person's layout choice is remembered for the next visit; a fragment's layout= wins, and
// a kiosk only ever has its fragment's.
TEST_F(ClientWiring, TheChosenLayoutIsRememberedUnlessTheFragmentNamesOne) {
  publishing_in_room({7, 8});
  EXPECT_EQ(state()["layout"], "grid");
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiKey_G, true);
  frame();
  io.AddKeyEvent(ImGuiKey_G, false);
  frames(2);
  EXPECT_EQ(state()["layout"], "speaker");
  EXPECT_EQ(w_.storage["layout"], std::optional<std::string>("speaker"));
  client_.reset();
  start("#room=1&user=5");
  EXPECT_EQ(state()["layout"], "speaker") << "remembered";
  client_.reset();
  start("#room=1&user=5&layout=grid");
  EXPECT_EQ(state()["layout"], "grid") << "the fragment wins";
  client_.reset();
  start("#room=1&user=5&kiosk=1");
  EXPECT_EQ(state()["layout"], "grid") << "a kiosk has only its fragment's";
}

// Issue 14 item 4: the text size setting reaches the atlas (the frontend's text size) and is
// kept for the next visit; a kiosk sizes its text to its screen instead.
TEST_F(ClientWiring, TheTextSizeSettingIsAppliedAndRemembered) {
  start("#room=1&user=5");
  ASSERT_NE(w_.frontend, nullptr);
  EXPECT_EQ(w_.frontend->text_size, 16.0f);
  ASSERT_TRUE(click("text-size"));
  EXPECT_EQ(w_.frontend->text_size, 20.0f);
  EXPECT_EQ(w_.storage["textScale"], std::optional<std::string>("125"));
  client_.reset();
  start("#room=1&user=5");
  EXPECT_EQ(w_.frontend->text_size, 20.0f) << "remembered";
  client_.reset();
  w_.storage["textScale"] = "130";  // not one of the steps: the default
  start("#room=1&user=5");
  EXPECT_EQ(w_.frontend->text_size, 16.0f);
  client_.reset();
  w_.frontend = nullptr;  // the person's, gone with its Client
  start("#room=1&user=5&kiosk=1");
  kiosk_frontend_at_the_limit();
  EXPECT_NE(w_.frontend->text_size, 16.0f) << "the kiosk's own size (1280x720: 27 px)";
}

TEST_F(ClientWiring, SwitchingLayoutsAndSpeakersNeverOffersAnOwnerTwice) {
  FakePeer* send = publishing_in_room({7, 8, 9});
  ASSERT_NE(send, nullptr);
  const auto receivers = [&] {
    int n = 0;
    for (FakePeer* p : World::live(w_.peers)) n += p->direction == core::Direction::kRecvOnly;
    return n;
  };
  ASSERT_EQ(receivers(), 3);
  const auto offers = [&] {
    int n = 0;
    for (const std::string& t : sent_types()) n += t == "receiveVideoFrom";
    return n;
  };
  for (FakePeer* p : World::live(w_.peers)) p->offer("offer");
  const int before = offers();
  ImGuiIO& io = ImGui::GetIO();
  for (int i = 0; i < 5; ++i) {  // G: speaker, grid, speaker, ...
    io.AddKeyEvent(ImGuiKey_G, true);
    frame();
    io.AddKeyEvent(ImGuiKey_G, false);
    frames(2);
    EXPECT_EQ(state()["layout"], i % 2 ? "grid" : "speaker");
  }
  // Someone speaks (the large slot changes), and a pin.
  for (FakePeer* p : World::live(w_.peers))
    if (p->direction == core::Direction::kRecvOnly) p->set_state(core::PeerState::kConnected);
  for (int i = 0; i < 10; ++i) {
    for (FakePeer* p : World::live(w_.peers))
      if (p->direction == core::Direction::kRecvOnly) p->audio(core::AudioSample{0.3, std::nullopt, std::nullopt});
    w_.advance(250);
    frames(1);
  }
  io.AddKeyEvent(ImGuiKey_P, true);
  frame();
  io.AddKeyEvent(ImGuiKey_P, false);
  frames(3);
  EXPECT_EQ(receivers(), 3);
  EXPECT_EQ(offers(), before) << "no receiveVideoFrom for an owner already offered";
  EXPECT_EQ(state()["resubscribes"], 0);
  EXPECT_EQ(w_.destroyed_in_own_callback, 0);
}

}  // namespace
}  // namespace gc::app::test
