#include "platform/peer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "platform/timer.hpp"

namespace gc::platform {
namespace {

using emscripten::val;

core::PeerState parse_state(const std::string& s) {
  if (s == "new") return core::PeerState::kNew;
  if (s == "connecting" || s == "checking") return core::PeerState::kConnecting;
  if (s == "connected" || s == "completed") return core::PeerState::kConnected;
  if (s == "disconnected") return core::PeerState::kDisconnected;
  if (s == "failed") return core::PeerState::kFailed;
  return core::PeerState::kClosed;
}

// gcBridge.statsFigures' answer: its figures, nullopt where the browser reported none.
using Figures = std::array<std::optional<double>, 12>;
enum Figure { kDecoded, kBytes, kPacketsReceived, kPacketsLost, kFps, kWidth, kHeight, kJitter, kRtt,
              kAudioLevel, kAudioEnergy, kAudioDuration };
constexpr int kVideoFigures = 1, kAudioFigures = 2;

Figures stats_figures(const val& report, const val& memo, int what, bool receiving) {
  const std::vector<double> raw = emscripten::convertJSArrayToNumberVector<double>(
      js_bridge().call<val>("statsFigures", report, memo, what, receiving));
  Figures out;
  for (std::size_t i = 0; i < out.size() && i < raw.size(); ++i)
    if (std::isfinite(raw[i])) out[i] = raw[i];
  return out;
}

void report_audio(const Peer::Callbacks& callbacks, const Figures& f) {
  if (!f[kAudioLevel] && !f[kAudioEnergy] && !f[kAudioDuration]) return;  // no audio entry
  if (callbacks.audio) callbacks.audio(core::AudioSample{f[kAudioLevel], f[kAudioEnergy], f[kAudioDuration]});
}

val transceiver_init(const char* direction, const val& stream) {
  val init = val::object();
  init.set("direction", direction);
  if (!stream.isNull() && !stream.isUndefined()) {
    val streams = val::array();
    streams.call<void>("push", stream);
    init.set("streams", streams);
  }
  return init;
}

}  // namespace

std::unique_ptr<Peer> Peer::create(core::Direction direction, const val& local_stream,
                                   const PeerConfig& config, Callbacks callbacks,
                                   std::string* error) {
  val rtc_config = val::object();
  val servers = val::array();
  for (const auto& ice : config.ice_servers) {
    val server = val::object();
    val urls = val::array();
    for (const auto& url : ice.urls) urls.call<void>("push", url);
    server.set("urls", urls);
    if (!ice.username.empty()) server.set("username", ice.username);
    if (!ice.credential.empty()) server.set("credential", ice.credential);
    servers.call<void>("push", server);
  }
  rtc_config.set("iceServers", servers);
  const val made = js_bridge().call<val>("newPeerConnection", rtc_config);
  if (made["pc"].isNull()) {
    if (error) *error = js_string(made, "error", "RTCPeerConnection unavailable");
    return nullptr;
  }
  std::unique_ptr<Peer> peer(new Peer(direction, made["pc"], config, std::move(callbacks)));
  peer->install_listeners();

  if (direction == core::Direction::kSendOnly) {
    for (const char* kind : {"audio", "video"}) {
      val track = val::null();
      if (!local_stream.isNull() && !local_stream.isUndefined()) {
        const val tracks = local_stream.call<val>(kind[0] == 'a' ? "getAudioTracks" : "getVideoTracks");
        if (tracks["length"].as<int>() > 0) track = tracks[0];
      }
      // Without a track the m-line is still negotiated, so both kinds always exist.
      const val transceiver = peer->pc_.call<val>(
          "addTransceiver", track.isNull() ? val(kind) : track,
          transceiver_init("sendonly", track.isNull() ? val::null() : local_stream));
      js_bridge().call<int>("preferCodecs", transceiver, val(kind));
      peer->senders_.push_back(transceiver["sender"]);
    }
  } else {
    for (const char* kind : {"audio", "video"}) {
      const val transceiver =
          peer->pc_.call<val>("addTransceiver", val(kind), transceiver_init("recvonly", val::null()));
      js_bridge().call<int>("preferCodecs", transceiver, val(kind));
      if (kind[0] == 'a') peer->audio_receiver_ = transceiver["receiver"];
    }
  }

  peer->level_.attach(peer->audio_source());
  Peer* self = peer.get();
  auto offer = std::make_shared<val>(val::null());
  self->enqueue({[self] { return self->pc_.call<val>("createOffer"); },
                 [self, offer](bool ok, val result) {
                   if (ok) {
                     *offer = std::move(result);
                   } else {
                     self->queue_.clear();  // nothing else makes sense without an offer
                     if (self->callbacks_.offer_failed) self->callbacks_.offer_failed(js_describe(result));
                   }
                 }});
  self->enqueue({[self, offer] { return self->pc_.call<val>("setLocalDescription", *offer); },
                 [self](bool ok, val result) {
                   if (!ok) {
                     if (self->callbacks_.offer_failed) self->callbacks_.offer_failed(js_describe(result));
                     return;
                   }
                   const std::string sdp = js_string(self->pc_["localDescription"], "sdp");
                   if (self->callbacks_.offer) self->callbacks_.offer(sdp);
                 }});
  return peer;
}

std::unique_ptr<Peer> Peer::prepare(const PeerConfig& config, std::string* error) {
  auto held = std::make_shared<HeldReports>();
  const auto hold = [held](std::function<void(const Callbacks&)> report) { held->push_back(std::move(report)); };
  Callbacks recorded;
  recorded.offer = [hold](std::string sdp) {
    hold([sdp](const Callbacks& to) { if (to.offer) to.offer(sdp); });
  };
  recorded.offer_failed = [hold](std::string reason) {
    hold([reason](const Callbacks& to) { if (to.offer_failed) to.offer_failed(reason); });
  };
  recorded.ice_candidate = [hold](core::IceCandidate candidate) {
    hold([candidate](const Callbacks& to) { if (to.ice_candidate) to.ice_candidate(candidate); });
  };
  recorded.state = [hold](core::PeerState state) {
    hold([state](const Callbacks& to) { if (to.state) to.state(state); });
  };
  // Nothing else comes before an answer is applied or a poll is asked for.
  std::unique_ptr<Peer> peer = create(core::Direction::kRecvOnly, val::null(), config, std::move(recorded), error);
  if (peer) peer->held_ = std::move(held);
  return peer;
}

void Peer::adopt(Callbacks callbacks) {
  callbacks_ = std::move(callbacks);
  const std::shared_ptr<HeldReports> held = std::move(held_);
  if (!held) return;
  const std::shared_ptr<bool> alive = alive_;
  for (const auto& report : *held) {
    report(callbacks_);
    if (!*alive) return;
  }
}

Peer::Peer(core::Direction direction, val pc, const PeerConfig& config, Callbacks callbacks)
    : direction_(direction), pc_(std::move(pc)), callbacks_(std::move(callbacks)), flow_(config.flow) {}

Peer::~Peer() {
  *alive_ = false;
  listeners_.clear();
  op_handlers_.reset();
  stats_handlers_.reset();
  audio_handlers_.reset();
  level_.close();
  pc_.call<void>("close");
}

void Peer::install_listeners() {
  listeners_.push_back(std::make_unique<EventListener>(pc_, "icecandidate", [this](val e) {
    const val c = e["candidate"];
    if (c.isNull() || c.isUndefined()) return;  // end of gathering
    core::IceCandidate candidate;
    candidate.candidate = js_string(c, "candidate");
    if (candidate.candidate.empty()) return;
    const val mid = c["sdpMid"];
    if (mid.isString()) candidate.sdp_mid = mid.as<std::string>();
    const val index = c["sdpMLineIndex"];
    if (index.isNumber()) candidate.sdp_mline_index = index.as<int>();
    if (callbacks_.ice_candidate) callbacks_.ice_candidate(std::move(candidate));
  }));
  listeners_.push_back(
      std::make_unique<EventListener>(pc_, "connectionstatechange", [this](val) { on_state_event(); }));
  listeners_.push_back(
      std::make_unique<EventListener>(pc_, "iceconnectionstatechange", [this](val) { on_state_event(); }));
  listeners_.push_back(
      std::make_unique<EventListener>(pc_, "track", [this](val e) { on_track(std::move(e)); }));
}

void Peer::on_state_event() {
  // connectionState covers ICE and DTLS; older engines only have iceConnectionState.
  const val cs = pc_["connectionState"];
  const std::string s = cs.isString() ? cs.as<std::string>() : js_string(pc_, "iceConnectionState");
  const core::PeerState next = parse_state(s);
  if (next == state_) return;
  state_ = next;
  if (callbacks_.state) callbacks_.state(next);
}

void Peer::on_track(val event) {
  if (remote_stream_.isNull()) remote_stream_ = val::global("MediaStream").new_();
  remote_stream_.call<void>("addTrack", event["track"]);
  if (callbacks_.remote_stream) callbacks_.remote_stream(remote_stream_);
}

void Peer::apply_answer(const std::string& sdp) {
  enqueue({[this, sdp] {
             val desc = val::object();
             desc.set("type", "answer");
             desc.set("sdp", sdp);
             return pc_.call<val>("setRemoteDescription", desc);
           },
           [this](bool ok, val result) {
             if (ok) {
               if (callbacks_.answer_applied) callbacks_.answer_applied();
             } else if (callbacks_.answer_failed) {
               callbacks_.answer_failed(js_describe(result));
             }
           }});
}

void Peer::add_candidate(const core::IceCandidate& candidate) {
  enqueue({[this, candidate] {
             val init = val::object();
             init.set("candidate", candidate.candidate);
             if (candidate.sdp_mid) init.set("sdpMid", *candidate.sdp_mid);
             if (candidate.sdp_mline_index) init.set("sdpMLineIndex", *candidate.sdp_mline_index);
             if (!candidate.sdp_mid && !candidate.sdp_mline_index) init.set("sdpMLineIndex", 0);
             return pc_.call<val>("addIceCandidate", init);
           },
           [](bool, val) {}});  // a bad remote candidate is not fatal (commands.hpp)
}

void Peer::replace_tracks(const val& audio, const val& video) {
  for (const val& sender : senders_) {
    const val track = sender["track"];
    std::string kind = js_string(track, "kind");
    if (kind.empty()) continue;
    if (kind == "audio" && !audio.isNull()) sender.call<val>("replaceTrack", audio);
    if (kind == "video" && !video.isNull()) sender.call<val>("replaceTrack", video);
  }
}

void Peer::set_video_track(const val& track) {
  if (senders_.size() < 2) return;  // not a send connection
  const val done = senders_[1].call<val>("replaceTrack", track);
  done.call<void>("catch", js_bridge()["ignore"]);  // closed meanwhile
}

void Peer::enqueue(Op op) {
  queue_.push_back(std::move(op));
  if (!busy_) run_next();
}

void Peer::run_next() {
  if (queue_.empty()) {
    busy_ = false;
    return;
  }
  busy_ = true;
  Op op = std::move(queue_.front());
  queue_.pop_front();
  const val promise = op.start();
  auto done = std::make_shared<std::function<void(bool, val)>>(std::move(op.done));
  op_handlers_ = std::make_unique<PromiseHandlers>(
      [this, done](val result) {
        const std::shared_ptr<bool> alive = alive_;
        (*done)(true, std::move(result));  // may destroy this Peer
        if (*alive) run_next();
      },
      [this, done](val error) {
        const std::shared_ptr<bool> alive = alive_;
        (*done)(false, std::move(error));
        if (*alive) run_next();
      });
  js_then(promise, *op_handlers_);
}

void Peer::poll_stats() { request_stats(pc_, stats_handlers_, &Peer::on_stats); }

// The audio receiver, or the microphone's sender.
val Peer::audio_source() const {
  if (direction_ == core::Direction::kRecvOnly) return audio_receiver_;
  return senders_.empty() ? val::null() : senders_[0];
}

bool Peer::poll_audio(bool ask_stats) {
  if (report_tapped_level()) return true;
  if (ask_stats) request_stats(audio_source(), audio_handlers_, &Peer::on_audio_stats);
  return false;
}

bool Peer::report_tapped_level() {
  const std::optional<double> level = level_.read(LevelTap::Kind::kInterval);
  if (!level) return false;
  if (callbacks_.audio) callbacks_.audio(core::AudioSample{level, std::nullopt, std::nullopt});
  return true;
}

void Peer::request_stats(const val& source, std::unique_ptr<PromiseHandlers>& pending, void (Peer::*handle)(val)) {
  if (pending || source.isNull() || source.isUndefined()) return;
  const val promise = source.call<val>("getStats");
  pending = std::make_unique<PromiseHandlers>(
      [this, &pending, handle](val report) {
        Peer* self = this;  // the closure dies with `pending`
        const auto handler = handle;
        pending.reset();
        (self->*handler)(std::move(report));
      },
      [&pending](val) { pending.reset(); });
  js_then(promise, *pending);
}

void Peer::on_stats(val report) {
  const bool receiving = direction_ == core::Direction::kRecvOnly;
  // Every connection's level once a second, also where poll_audio() is not called: the
  // analyser's where there is one, else this report's.
  const std::optional<double> tapped = level_.read(LevelTap::Kind::kInterval);
  const Figures f = stats_figures(report, stats_memo_, tapped ? kVideoFigures : kVideoFigures | kAudioFigures, receiving);
  core::StatsSample sample;
  sample.bytes = f[kBytes];
  sample.packets_received = f[kPacketsReceived];
  sample.packets_lost = f[kPacketsLost];
  sample.fps = f[kFps];
  sample.width = f[kWidth];
  sample.height = f[kHeight];
  sample.jitter_s = f[kJitter];
  sample.rtt_s = f[kRtt];
  if (!receiving) sample.limitation = js_string(stats_memo_, "limitation");
  const std::shared_ptr<bool> alive = alive_;
  if (callbacks_.stats) callbacks_.stats(sample);
  if (!*alive) return;
  if (tapped) {
    if (callbacks_.audio) callbacks_.audio(core::AudioSample{tapped, std::nullopt, std::nullopt});
  } else {
    report_audio(callbacks_, f);
  }
  if (!*alive || !receiving) return;

  const auto decoded = static_cast<std::uint64_t>(f[kDecoded].value_or(0));
  switch (flow_.sample(decoded, static_cast<core::Millis>(monotonic_epoch_ms()))) {
    case core::FlowMonitor::Change::kFlowing:
      if (callbacks_.media_flowing) callbacks_.media_flowing();
      break;
    case core::FlowMonitor::Change::kStalled:
      if (callbacks_.media_stalled) callbacks_.media_stalled(flow_.last_progress().value_or(0));
      break;
    case core::FlowMonitor::Change::kNone:
      break;
  }
}

// The received audio as played out, or the microphone before encoding.
void Peer::on_audio_stats(val report) {
  report_audio(callbacks_, stats_figures(report, audio_memo_, kAudioFigures, direction_ == core::Direction::kRecvOnly));
}

}  // namespace gc::platform
