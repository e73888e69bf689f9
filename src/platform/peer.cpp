#include "platform/peer.hpp"

#include <algorithm>
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

// value[key] if it is a number, else nullopt (a figure the browser does not report).
std::optional<double> number(const val& value, const char* key) {
  const val v = value[key];
  if (!v.isNumber()) return std::nullopt;
  return v.as<double>();
}

// Adds b into a where both or either are known.
void add(std::optional<double>& a, std::optional<double> b) {
  if (b) a = a.value_or(0) + *b;
}

std::vector<val> stats_entries(const val& report) {
  const val entries = val::global("Array").call<val>("from", report.call<val>("values"));
  const int n = entries["length"].as<int>();
  std::vector<val> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(entries[i]);
  return out;
}

std::string kind_of(const val& s) { return js_string(s, "kind", js_string(s, "mediaType")); }

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
  const val made = val::module_property("gcBridge").call<val>("newPeerConnection", rtc_config);
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
      val::module_property("gcBridge").call<int>("preferCodecs", transceiver, val(kind));
      peer->senders_.push_back(transceiver["sender"]);
    }
  } else {
    for (const char* kind : {"audio", "video"}) {
      const val transceiver =
          peer->pc_.call<val>("addTransceiver", val(kind), transceiver_init("recvonly", val::null()));
      val::module_property("gcBridge").call<int>("preferCodecs", transceiver, val(kind));
      if (kind[0] == 'a') peer->audio_receiver_ = transceiver["receiver"];
    }
  }

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

Peer::Peer(core::Direction direction, val pc, const PeerConfig& config, Callbacks callbacks)
    : direction_(direction), pc_(std::move(pc)), callbacks_(std::move(callbacks)), flow_(config.flow) {}

Peer::~Peer() {
  *alive_ = false;
  listeners_.clear();
  op_handlers_.reset();
  stats_handlers_.reset();
  audio_handlers_.reset();
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
  done.call<void>("catch", val::module_property("gcBridge")["ignore"]);  // closed meanwhile
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

void Peer::poll_audio() {
  const val source = direction_ == core::Direction::kRecvOnly ? audio_receiver_
                     : senders_.empty()                      ? val::null()
                                                             : senders_[0];
  request_stats(source, audio_handlers_, &Peer::on_audio_stats);
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

std::vector<val> Peer::read_stats(const val& report, std::vector<std::string>& ids,
                                  const std::vector<StatsNeed>& needed) const {
  if (!ids.empty()) {
    std::vector<val> out;
    out.reserve(ids.size() + 1);
    for (const std::string& id : ids) {
      val entry = report.call<val>("get", id);
      if (entry.isUndefined() || entry.isNull()) break;
      out.push_back(std::move(entry));
    }
    if (out.size() == ids.size()) {
      for (std::size_t i = 0, n = out.size(); i < n; ++i) {
        if (js_string(out[i], "type") != "transport") continue;
        const std::string pair = js_string(out[i], "selectedCandidatePairId");
        if (pair.empty()) continue;
        val entry = report.call<val>("get", pair);
        if (!entry.isUndefined() && !entry.isNull()) out.push_back(std::move(entry));
      }
      return out;
    }
    ids.clear();
  }
  std::vector<val> all = stats_entries(report);
  std::vector<std::string> kept;
  std::vector<bool> found(needed.size(), false);
  for (const val& entry : all) {
    const std::string type = js_string(entry, "type");
    for (std::size_t k = 0; k < needed.size(); ++k) {
      if (type != needed[k].type || (*needed[k].kind && kind_of(entry) != needed[k].kind)) continue;
      if (!found[k]) kept.push_back(js_string(entry, "id"));  // one entry per need (no simulcast)
      found[k] = true;
      break;
    }
  }
  if (std::find(found.begin(), found.end(), false) == found.end() &&
      std::find(kept.begin(), kept.end(), std::string()) == kept.end())
    ids = std::move(kept);
  return all;
}

void Peer::on_stats(val report) {
  const bool receiving = direction_ == core::Direction::kRecvOnly;
  const char* rtp_type = receiving ? "inbound-rtp" : "outbound-rtp";
  core::StatsSample sample;
  double decoded = 0;
  std::string selected_pair;
  std::optional<double> nominated_rtt;
  std::vector<val> pairs;
  static const std::vector<StatsNeed> kReceive = {{"inbound-rtp", "video"}, {"transport", ""}};
  static const std::vector<StatsNeed> kSend = {{"outbound-rtp", "video"}, {"transport", ""}};
  for (const val& s : read_stats(report, stats_ids_, receiving ? kReceive : kSend)) {
    const std::string type = js_string(s, "type");
    if (type == "transport") {
      selected_pair = js_string(s, "selectedCandidatePairId", selected_pair);
    } else if (type == "candidate-pair") {
      pairs.push_back(s);
      const val nominated = s["nominated"];
      if (nominated.isTrue() && js_string(s, "state") == "succeeded" && !nominated_rtt)
        nominated_rtt = number(s, "currentRoundTripTime");
    } else if (type == rtp_type && kind_of(s) == "video") {
      decoded += js_number(s, "framesDecoded");
      add(sample.bytes, number(s, receiving ? "bytesReceived" : "bytesSent"));
      add(sample.packets_received, number(s, "packetsReceived"));
      add(sample.packets_lost, number(s, "packetsLost"));
      const std::optional<double> fps = number(s, "framesPerSecond");
      if (fps && *fps >= sample.fps.value_or(0)) {
        // The busiest stream's figures (one per connection here; simulcast would have three).
        sample.fps = fps;
        sample.width = number(s, "frameWidth");
        sample.height = number(s, "frameHeight");
      }
      if (!sample.width) sample.width = number(s, "frameWidth");
      if (!sample.height) sample.height = number(s, "frameHeight");
      if (!sample.jitter_s) sample.jitter_s = number(s, "jitter");
      if (sample.limitation.empty()) sample.limitation = js_string(s, "qualityLimitationReason");
    }
  }
  // The transport's selected pair, else a nominated one that succeeded.
  sample.rtt_s = nominated_rtt;
  for (const val& pair : pairs)
    if (!selected_pair.empty() && js_string(pair, "id") == selected_pair)
      if (const auto rtt = number(pair, "currentRoundTripTime")) sample.rtt_s = rtt;
  const std::shared_ptr<bool> alive = alive_;
  if (callbacks_.stats) callbacks_.stats(sample);
  if (!*alive) return;
  // Every connection's level once a second, also where poll_audio() is not called.
  on_audio_stats(report);
  if (!*alive || !receiving) return;

  switch (flow_.sample(static_cast<std::uint64_t>(decoded), static_cast<core::Millis>(monotonic_epoch_ms()))) {
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

void Peer::on_audio_stats(val report) {
  // The received audio as played out, or the microphone before encoding.
  const bool receiving = direction_ == core::Direction::kRecvOnly;
  const char* type = receiving ? "inbound-rtp" : "media-source";
  static const std::vector<StatsNeed> kReceive = {{"inbound-rtp", "audio"}};
  static const std::vector<StatsNeed> kSend = {{"media-source", "audio"}};
  for (const val& s : read_stats(report, audio_ids_, receiving ? kReceive : kSend)) {
    if (js_string(s, "type") != type || kind_of(s) != "audio") continue;
    const core::AudioSample sample{number(s, "audioLevel"), number(s, "totalAudioEnergy"),
                                   number(s, "totalSamplesDuration")};
    if (callbacks_.audio) callbacks_.audio(sample);
    return;
  }
}

}  // namespace gc::platform
