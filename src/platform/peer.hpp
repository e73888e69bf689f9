// One RTCPeerConnection per media owner (PROTOCOL.md rule 1), through emscripten::val.
//
// kSendOnly carries the local camera + microphone (sendonly transceivers with the local
// tracks); kRecvOnly adds recvonly audio + video transceivers. Right after creation the
// peer makes its offer (createOffer → setLocalDescription) and reports it. From then on
// every asynchronous browser call for this connection runs in order on one queue, so
// addIceCandidate never overtakes setRemoteDescription (commands.hpp). Candidates added
// before the answer was applied wait in the same queue.
//
// Reports: offer / offer failure, local ICE candidates ({candidate, sdpMid,
// sdpMLineIndex}; the end-of-candidates null is not forwarded), answer applied / failed,
// connection state (connectionState, or iceConnectionState where that is all there is),
// remote tracks (one MediaStream collecting them), and decoding progress: poll_stats()
// (the owner calls it every 1-2 s while connected) sums inbound-rtp video
// framesDecoded into a core::FlowMonitor: `media_flowing` fires when the count first rises
// and again after a stall, `media_stalled` when video that flowed stopped (flow_monitor.hpp:
// slow video is not a stall). The same poll reports a core::StatsSample (quality.hpp): for a
// receive connection inbound-rtp video and the selected candidate pair's round trip, for the
// publishing one outbound-rtp video (bytesSent, framesPerSecond, qualityLimitationReason).
// The same poll, and poll_audio(true) (every 250 ms, for the tiles on screen) that asks only
// the audio receiver or the microphone's sender (RTCRtpReceiver/RTCRtpSender.getStats: a
// shorter report to parse, though Chromium takes as long to make it), report a
// core::AudioSample:
// inbound-rtp audio, or the media-source of the microphone. Where the page's AudioContext
// runs (after a user gesture, or where autoplay is allowed) both read a WebAudio analyser
// on the received audio track (or the microphone's) instead (platform/level_tap.hpp: the
// same scale, microseconds instead of a report the browser collects across its threads);
// poll_audio(false) reads only that (the tiles off screen), never a report.
// A report's figures are picked in JavaScript in one call (gcBridge.statsFigures: the
// entries' ids are remembered, so later reports are read by id, not whole): at rest in a
// call the polls were the main thread's largest cost (issue 12 item 5).
//
// The destructor removes every listener and closes the connection; its promise handlers
// die with it, so late results are dropped. Heap only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <emscripten/val.h>

#include "core/commands.hpp"
#include "core/deploy_config.hpp"
#include "core/events.hpp"
#include "core/flow_monitor.hpp"
#include "core/quality.hpp"
#include "core/speaker.hpp"
#include "platform/bridge_callback.hpp"
#include "platform/level_tap.hpp"

namespace gc::platform {

struct PeerConfig {
  std::vector<core::IceServer> ice_servers;  // RTCIceServer objects; empty = host candidates only
  core::FlowConfig flow;  // 10 s and 3 polls without a new frame: a busy machine can pause for seconds
};

class Peer {
 public:
  struct Callbacks {
    std::function<void(std::string sdp)> offer;
    std::function<void(std::string reason)> offer_failed;
    std::function<void(core::IceCandidate candidate)> ice_candidate;
    std::function<void()> answer_applied;
    std::function<void(std::string reason)> answer_failed;
    std::function<void(core::PeerState state)> state;
    std::function<void(emscripten::val stream)> remote_stream;
    std::function<void()> media_flowing;
    std::function<void(core::Millis last_frame)> media_stalled;
    std::function<void(core::StatsSample sample)> stats;
    std::function<void(core::AudioSample sample)> audio;
  };

  // local_stream: the camera/microphone MediaStream for kSendOnly (may lack a kind: only
  // what exists is sent; null sends nothing but still negotiates). Returns nullptr if the
  // browser refused to construct the connection (reason in *error).
  static std::unique_ptr<Peer> create(core::Direction direction, const emscripten::val& local_stream,
                                      const PeerConfig& config, Callbacks callbacks,
                                      std::string* error);
  // Issue 12 (time to video): a kRecvOnly connection made before its owner is known, so the
  // first subscription's offer (the connection, its transceivers, createOffer and
  // setLocalDescription: 50-100 ms of main-thread tasks on a loaded machine) is ready when
  // the participant list arrives. Its reports (the offer, its candidates, state changes) are
  // held until adopt() gives it its callbacks.
  static std::unique_ptr<Peer> prepare(const PeerConfig& config, std::string* error);
  // A prepared connection's callbacks: the reports held so far are delivered to them, in
  // order, before this returns; later ones as they come.
  void adopt(Callbacks callbacks);
  ~Peer();
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  void apply_answer(const std::string& sdp);
  void add_candidate(const core::IceCandidate& candidate);
  // Send side: swap a track in place after a device switch (null = leave that kind alone).
  void replace_tracks(const emscripten::val& audio, const emscripten::val& video);
  // Send side: the video sender sends `track` from now on, null = nothing (screen sharing
  // and back). replaceTrack: no renegotiation, works before the offer is answered too.
  void set_video_track(const emscripten::val& track);
  void poll_stats();
  // True when the level came from the analyser, here and now (reported before returning).
  bool poll_audio(bool ask_stats);

  core::Direction direction() const { return direction_; }
  core::PeerState state() const { return state_; }
  std::uint64_t frames_decoded() const { return flow_.frames(); }

 private:
  struct Op {
    std::function<emscripten::val()> start;  // returns a promise
    std::function<void(bool ok, emscripten::val result)> done;
  };
  Peer(core::Direction direction, emscripten::val pc, const PeerConfig& config, Callbacks callbacks);
  void install_listeners();
  void enqueue(Op op);
  void run_next();
  void on_state_event();
  void on_track(emscripten::val event);
  void on_stats(emscripten::val report);
  void on_audio_stats(emscripten::val report);
  // The analyser's level since its last read (LevelTap), reported; false: use getStats.
  bool report_tapped_level();
  emscripten::val audio_source() const;
  // source.getStats() (the connection, a receiver or a sender), one at a time per `pending`.
  void request_stats(const emscripten::val& source, std::unique_ptr<PromiseHandlers>& pending,
                     void (Peer::*handle)(emscripten::val));

  core::Direction direction_;
  emscripten::val pc_;
  Callbacks callbacks_;
  core::PeerState state_ = core::PeerState::kNew;
  emscripten::val remote_stream_ = emscripten::val::null();
  std::vector<emscripten::val> senders_;  // kSendOnly: audio, video
  emscripten::val audio_receiver_ = emscripten::val::null();  // kRecvOnly

  std::deque<Op> queue_;
  bool busy_ = false;
  std::unique_ptr<PromiseHandlers> op_handlers_;
  std::unique_ptr<PromiseHandlers> stats_handlers_;
  std::unique_ptr<PromiseHandlers> audio_handlers_;
  // gcBridge.statsFigures' memos (the ids of the entries a poll reads), per poll kind.
  emscripten::val stats_memo_ = emscripten::val::object();
  emscripten::val audio_memo_ = emscripten::val::object();
  LevelTap level_;

  core::FlowMonitor flow_;

  std::vector<std::unique_ptr<EventListener>> listeners_;
  // prepare(): the reports made before adopt(), each waiting for the callbacks it goes to.
  using HeldReports = std::vector<std::function<void(const Callbacks&)>>;
  std::shared_ptr<HeldReports> held_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace gc::platform
