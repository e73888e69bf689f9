// JSON codec for the groupcall protocol: see codec.hpp and shared/PROTOCOL.md.
//
// Nothing in this file may throw or abort on any input (Emscripten builds run with
// exception catching disabled, so a throw is a page abort):
//  - frame size and nesting depth are checked before nlohmann sees the bytes;
//  - parsing uses parse(..., allow_exceptions=false) + is_discarded();
//  - fields are read through find() + get_ptr<>() only (get_ptr returns nullptr on a
//    wrong type; .at(), get<>() and const operator[] would throw or assert);
//  - dump() uses error_handler_t::replace, so invalid UTF-8 handed to encode() becomes
//    U+FFFD instead of a type_error.
//
// Decoding policy (where the spec is silent):
//  - A JSON null counts as absent: optional fields take their default, required fields
//    report kMissingField.
//  - Integers (ids, room, sdpMLineIndex) may be JSON integers, floats with no fractional
//    part (1e3), or strings of ASCII digits ("12"). Negative, fractional or above the
//    field's maximum is kOutOfRange; any other JSON type, or a string that is not a
//    (possibly negative) digit run, is kWrongFieldType.
//  - Unknown extra fields are ignored.
//
// Fast paths (fast_codec.cpp): after the size check, decode_* try a hand-written scanner
// for the common shapes, and encode() a hand-written writer. They answer only with what
// the nlohmann code here (detail::reference_*) gives, the same message or the same bytes;
// everything else (every error, existingParticipants, unusual JSON such as floats or
// booleans, invalid UTF-8 handed to encode) goes to the nlohmann code, so errors and their
// texts come from it alone. tests/unit/codec_fast_path_test.cpp and the decode fuzzer
// compare both paths on every input.
#include "protocol/codec.hpp"
#include "protocol/fast_codec.hpp"
#include "protocol/utf8.hpp"
#include "protocol/wire.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace gc::protocol {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxEchoBytes = 64;  // how much of a bad value an error text quotes
constexpr int kFastPathDepth = 2;          // fast decoders read an object and objects in it

// ---- small text helpers -----------------------------------------------------------------

// Length of the longest prefix of s (at most max bytes) that does not split a UTF-8
// sequence. Used to keep quoted values short without producing broken text.
std::size_t utf8_cut(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s.size();
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

std::string quote_short(std::string_view s) {
  std::size_t n = utf8_cut(s, kMaxEchoBytes);
  std::string out = "\"";
  for (char c : s.substr(0, n)) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      out += '?';
    } else {
      out += c;
    }
  }
  if (n < s.size()) out += "...";
  out += '"';
  return out;
}

const char* json_type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "number";
    case json::value_t::binary: return "binary";
    case json::value_t::discarded: return "discarded";
  }
  return "unknown";
}

std::string dump_safe(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Deepest bracket nesting outside strings, stopping early once over `limit`. O(n), no
// allocation. On malformed input the answer may be meaningless, which is fine: the
// parser rejects such input anyway, and nlohmann's parser itself is not recursive.
int nesting_depth(std::string_view s, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > limit) return deepest;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

// ---- decoding ---------------------------------------------------------------------------

DecodeError make_error(DecodeErrorKind kind, std::string type, std::string field,
                       std::string text) {
  DecodeError e;
  e.kind = kind;
  e.type = std::move(type);
  e.field = std::move(field);
  e.text = std::move(text);
  return e;
}

// Reads the fields of one message; remembers the first error.
class FieldReader {
 public:
  explicit FieldReader(std::string type) : type_(std::move(type)) {}

  bool failed() const { return failed_; }
  DecodeError take_error() { return std::move(error_); }
  const std::string& type() const { return type_; }

  // The member `key` of obj, or nullptr when absent or null.
  static const json* member(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
  }

  bool missing(const std::string& path) {
    return fail(DecodeErrorKind::kMissingField, path,
                "required field " + path + " is missing");
  }

  bool wrong_type(const std::string& path, const json& v, const char* expected) {
    return fail(DecodeErrorKind::kWrongFieldType, path,
                "field " + path + " is not " + expected + " (got " + json_type_name(v) + ")");
  }

  bool out_of_range(const std::string& path, const std::string& shown, std::int64_t max) {
    return fail(DecodeErrorKind::kOutOfRange, path,
                "field " + path + " = " + shown + " is out of range (expected a whole number 0.." +
                    std::to_string(max) + ")");
  }

  // A string field. Absent/null: "" when optional, an error when required.
  bool string_field(const json& obj, const char* key, const std::string& path, bool required,
                    std::string& out) {
    const json* v = member(obj, key);
    if (v == nullptr) {
      out.clear();
      return required ? missing(path) : true;
    }
    const auto* s = v->get_ptr<const json::string_t*>();
    if (s == nullptr) return wrong_type(path, *v, "a string");
    out = *s;
    return true;
  }

  // A non-negative integer field in 0..max (see the policy at the top of the file).
  template <class Int>
  bool integer_field(const json& obj, const char* key, const std::string& path, bool required,
                     Int fallback, std::int64_t max, Int& out) {
    const json* v = member(obj, key);
    if (v == nullptr) {
      out = fallback;
      return required ? missing(path) : true;
    }
    std::int64_t value = 0;
    if (!integer_value(*v, path, max, value)) return false;
    out = static_cast<Int>(value);
    return true;
  }

  bool integer_value(const json& v, const std::string& path, std::int64_t max,
                     std::int64_t& out) {
    if (const auto* i = v.get_ptr<const json::number_integer_t*>()) {
      if (*i < 0 || *i > max) return out_of_range(path, std::to_string(*i), max);
      out = *i;
      return true;
    }
    if (const auto* u = v.get_ptr<const json::number_unsigned_t*>()) {
      if (*u > static_cast<std::uint64_t>(max)) return out_of_range(path, std::to_string(*u), max);
      out = static_cast<std::int64_t>(*u);
      return true;
    }
    if (const auto* f = v.get_ptr<const json::number_float_t*>()) {
      double d = *f;
      if (!std::isfinite(d) || d < 0 || d > static_cast<double>(max) || std::floor(d) != d) {
        return out_of_range(path, dump_safe(v), max);
      }
      out = static_cast<std::int64_t>(d);
      return true;
    }
    if (const auto* s = v.get_ptr<const json::string_t*>()) {
      return digit_string(*s, path, max, out);
    }
    return wrong_type(path, v, "an integer");
  }

  bool digit_string(const std::string& s, const std::string& path, std::int64_t max,
                    std::int64_t& out) {
    std::size_t start = (!s.empty() && s[0] == '-') ? 1 : 0;
    bool digits = s.size() > start;
    for (std::size_t i = start; i < s.size() && digits; ++i) digits = s[i] >= '0' && s[i] <= '9';
    if (!digits) {
      return fail(DecodeErrorKind::kWrongFieldType, path,
                  "field " + path + " is not an integer (got string " + quote_short(s) + ")");
    }
    if (start == 1) {
      // "-0" is a negative-looking zero; accept it as 0 rather than quibble.
      bool zero = s.find_first_not_of('0', 1) == std::string::npos;
      if (!zero) return out_of_range(path, quote_short(s), max);
      out = 0;
      return true;
    }
    std::int64_t value = 0;
    for (char c : s) {
      value = value * 10 + (c - '0');
      if (value > max) return out_of_range(path, quote_short(s), max);
    }
    out = value;
    return true;
  }

  bool participant(const json& v, const std::string& path, Participant& out) {
    if (!v.is_object()) return wrong_type(path, v, "an object");
    return integer_field(v, "id", path + ".id", true, UserId{0}, kMaxWireInteger, out.id) &&
           string_field(v, "name", path + ".name", false, out.name) &&
           string_field(v, "prefix", path + ".prefix", false, out.prefix) &&
           string_field(v, "postfix", path + ".postfix", false, out.postfix);
  }

  bool candidate(const json& v, const std::string& path, IceCandidate& out) {
    if (!v.is_object()) return wrong_type(path, v, "an object");
    if (!string_field(v, "candidate", path + ".candidate", true, out.candidate)) return false;
    out.sdp_mid.reset();
    if (const json* mid = member(v, "sdpMid")) {
      const auto* s = mid->get_ptr<const json::string_t*>();
      if (s == nullptr) return wrong_type(path + ".sdpMid", *mid, "a string or null");
      out.sdp_mid = *s;
    }
    out.sdp_mline_index.reset();
    if (const json* idx = member(v, "sdpMLineIndex")) {
      std::int64_t value = 0;
      if (!integer_value(*idx, path + ".sdpMLineIndex", wire::kMaxMLineIndex, value)) {
        return false;
      }
      out.sdp_mline_index = static_cast<int>(value);
    }
    return true;
  }

 private:
  bool fail(DecodeErrorKind kind, const std::string& path, const std::string& what) {
    if (!failed_) {
      failed_ = true;
      error_ = make_error(kind, type_, path, type_ + ": " + what);
    }
    return false;
  }

  std::string type_;
  bool failed_ = false;
  DecodeError error_;
};

// The shared front half of decode_server/decode_client: size, depth, parse, object, type.
// On success `doc` holds the object and `type` its type string.
bool parse_frame(std::string_view frame, const Limits& limits, json& doc, std::string& type,
                 DecodeError& error) {
  if (frame.size() > limits.max_frame_bytes) {
    error = make_error(DecodeErrorKind::kTooLarge, "", "",
                       "frame of " + std::to_string(frame.size()) + " bytes exceeds the " +
                           std::to_string(limits.max_frame_bytes) + "-byte limit");
    return false;
  }
  if (nesting_depth(frame, limits.max_depth) > limits.max_depth) {
    error = make_error(DecodeErrorKind::kTooDeep, "", "",
                       "frame nests arrays/objects deeper than " +
                           std::to_string(limits.max_depth) + " levels");
    return false;
  }
  // nlohmann's lexer takes a raw NUL for the end of input, so `{...}\0garbage` would
  // parse. A raw NUL is never valid JSON (inside strings it must be escaped): reject it.
  if (frame.find('\0') != std::string_view::npos) {
    error = make_error(DecodeErrorKind::kNotJson, "", "",
                       "frame contains a raw NUL byte, so it is not JSON");
    return false;
  }
  doc = json::parse(frame.begin(), frame.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    std::string text;
    if (frame.empty()) {
      text = "frame is empty, not JSON";
    } else if (!utf8::is_valid(frame)) {
      text = "frame is not valid UTF-8 text, so not JSON";
    } else {
      text = "frame is not valid JSON";
    }
    error = make_error(DecodeErrorKind::kNotJson, "", "", std::move(text));
    return false;
  }
  if (!doc.is_object()) {
    std::string what = json_type_name(doc);
    if (what != "null") what = (what == "array" ? "an " : "a ") + what;
    error = make_error(DecodeErrorKind::kNotObject, "", "",
                       "top level of the frame is " + what + ", not an object");
    return false;
  }
  const json* t = FieldReader::member(doc, "type");
  if (t == nullptr) {
    error = make_error(DecodeErrorKind::kMissingType, "", "type",
                       "frame has no \"type\" field");
    return false;
  }
  const auto* s = t->get_ptr<const json::string_t*>();
  if (s == nullptr) {
    error = make_error(DecodeErrorKind::kMissingType, "", "type",
                       std::string("field type is not a string (got ") + json_type_name(*t) +
                           ")");
    return false;
  }
  type = *s;
  return true;
}

DecodeError unknown_type(const std::string& type, const char* side) {
  std::string shown = type.substr(0, utf8_cut(type, kMaxEchoBytes));
  return make_error(DecodeErrorKind::kUnknownType, shown, "type",
                    "unknown " + std::string(side) + " message type " + quote_short(type));
}

// ---- encoding ---------------------------------------------------------------------------

json candidate_json(const IceCandidate& c) {
  json j = json::object();
  j["candidate"] = c.candidate;
  j["sdpMid"] = c.sdp_mid ? json(*c.sdp_mid) : json(nullptr);
  j["sdpMLineIndex"] = c.sdp_mline_index ? json(*c.sdp_mline_index) : json(nullptr);
  return j;
}

json participant_json(const Participant& p) {
  json j = json::object();
  j["id"] = p.id;
  j["name"] = p.name;
  j["prefix"] = p.prefix;
  j["postfix"] = p.postfix;
  return j;
}

json typed(const char* type) {
  json j = json::object();
  j["type"] = type;
  return j;
}

using detail::Overload;

}  // namespace

const char* to_string(DecodeErrorKind kind) {
  switch (kind) {
    case DecodeErrorKind::kTooLarge: return "frame too large";
    case DecodeErrorKind::kTooDeep: return "nesting too deep";
    case DecodeErrorKind::kNotJson: return "not JSON";
    case DecodeErrorKind::kNotObject: return "not a JSON object";
    case DecodeErrorKind::kMissingType: return "missing type";
    case DecodeErrorKind::kUnknownType: return "unknown type";
    case DecodeErrorKind::kMissingField: return "missing field";
    case DecodeErrorKind::kWrongFieldType: return "wrong field type";
    case DecodeErrorKind::kOutOfRange: return "value out of range";
  }
  return "unknown decode error";
}

Decoded<ServerMessage> detail::reference_decode_server(std::string_view frame,
                                                       const Limits& limits) {
  json doc;
  std::string type;
  DecodeError error;
  if (!parse_frame(frame, limits, doc, type, error)) return error;

  FieldReader r(type);
  if (type == wire::kUserNotFound) return ServerMessage{UserNotFound{}};
  if (type == wire::kPermisionDeny || type == wire::kPermissionDeny) {
    return ServerMessage{PermissionDenied{}};
  }
  if (type == wire::kUnrecognizedMessage) return ServerMessage{UnrecognizedMessage{}};

  if (type == wire::kExistingParticipants) {
    ExistingParticipants m;
    if (const json* list = FieldReader::member(doc, "participants")) {  // spec default []
      if (!list->is_array()) {
        r.wrong_type("participants", *list, "an array");
        return r.take_error();
      }
      m.participants.reserve(list->size());
      std::size_t i = 0;
      for (const json& item : *list) {
        Participant p;
        if (!r.participant(item, "participants[" + std::to_string(i) + "]", p)) {
          return r.take_error();
        }
        m.participants.push_back(std::move(p));
        ++i;
      }
    }
    return ServerMessage{std::move(m)};
  }
  if (type == wire::kNewParticipantArrived) {
    NewParticipantArrived m;
    const json* p = FieldReader::member(doc, "participant");
    if (p == nullptr) {
      r.missing("participant");
      return r.take_error();
    }
    if (!r.participant(*p, "participant", m.participant)) return r.take_error();
    return ServerMessage{std::move(m)};
  }
  if (type == wire::kReceiveVideoAnswer) {
    ReceiveVideoAnswer m;
    if (r.integer_field(doc, "userId", "userId", true, UserId{0}, kMaxWireInteger, m.user_id) &&
        r.string_field(doc, "sdpAnswer", "sdpAnswer", true, m.sdp_answer)) {
      return ServerMessage{std::move(m)};
    }
    return r.take_error();
  }
  if (type == wire::kParticipantLeft) {
    ParticipantLeft m;
    if (r.integer_field(doc, "userId", "userId", true, UserId{0}, kMaxWireInteger, m.user_id)) {
      return ServerMessage{m};
    }
    return r.take_error();
  }
  if (type == wire::kIceCandidate) {
    RemoteIceCandidate m;
    if (!r.integer_field(doc, "userId", "userId", true, UserId{0}, kMaxWireInteger, m.user_id)) {
      return r.take_error();
    }
    // The spec spells the field "candicate"; a fixed server may send "candidate".
    const char* key = wire::kCandicate;
    const json* c = FieldReader::member(doc, wire::kCandicate);
    if (c == nullptr) {
      key = wire::kCandidate;
      c = FieldReader::member(doc, wire::kCandidate);
    }
    if (c == nullptr) {
      r.missing(wire::kCandicate);
      return r.take_error();
    }
    if (!r.candidate(*c, key, m.candidate)) return r.take_error();
    return ServerMessage{std::move(m)};
  }
  if (type == wire::kReciveTextMessage || type == wire::kReceiveTextMessage) {
    ReceiveTextMessage m;
    if (r.integer_field(doc, "userId", "userId", true, UserId{0}, kMaxWireInteger, m.user_id) &&
        r.string_field(doc, "message", "message", false, m.message)) {  // spec default ''
      return ServerMessage{std::move(m)};
    }
    return r.take_error();
  }
  if (type == wire::kFileUploaded) {
    FileUploaded m;
    if (r.integer_field(doc, "userId", "userId", true, UserId{0}, kMaxWireInteger, m.user_id) &&
        r.string_field(doc, "fileName", "fileName", false, m.file_name) &&  // spec default ''
        r.string_field(doc, "fileUrl", "fileUrl", true, m.file_url)) {
      return ServerMessage{std::move(m)};
    }
    return r.take_error();
  }
  return unknown_type(type, "server");
}

Decoded<ClientMessage> detail::reference_decode_client(std::string_view frame,
                                                       const Limits& limits) {
  json doc;
  std::string type;
  DecodeError error;
  if (!parse_frame(frame, limits, doc, type, error)) return error;

  FieldReader r(type);
  if (type == wire::kJoin) {
    Join m;
    if (r.integer_field(doc, "room", "room", false, RoomId{0}, kMaxWireInteger, m.room) &&
        r.integer_field(doc, "userId", "userId", true, UserId{0}, kMaxWireInteger, m.user_id) &&
        r.string_field(doc, "pw", "pw", false, m.pw)) {
      return ClientMessage{std::move(m)};
    }
    return r.take_error();
  }
  if (type == wire::kSendMessage) {
    SendMessage m;
    if (r.string_field(doc, "message", "message", true, m.message)) {
      return ClientMessage{std::move(m)};
    }
    return r.take_error();
  }
  if (type == wire::kUploadSuccess) {
    UploadSuccess m;
    if (r.string_field(doc, "fileName", "fileName", true, m.file_name) &&
        r.string_field(doc, "fileUrl", "fileUrl", true, m.file_url)) {
      return ClientMessage{std::move(m)};
    }
    return r.take_error();
  }
  if (type == wire::kOnIceCandidate) {
    OnIceCandidate m;
    if (!r.integer_field(doc, "userId", "userId", true, UserId{0}, kMaxWireInteger, m.user_id)) {
      return r.take_error();
    }
    const json* c = FieldReader::member(doc, wire::kCandidate);
    if (c == nullptr) {
      r.missing(wire::kCandidate);
      return r.take_error();
    }
    if (!r.candidate(*c, wire::kCandidate, m.candidate)) return r.take_error();
    return ClientMessage{std::move(m)};
  }
  if (type == wire::kReceiveVideoFrom) {
    ReceiveVideoFrom m;
    if (r.integer_field(doc, "userId", "userId", true, UserId{0}, kMaxWireInteger, m.user_id) &&
        r.string_field(doc, "sdpOffer", "sdpOffer", true, m.sdp_offer)) {
      return ClientMessage{std::move(m)};
    }
    return r.take_error();
  }
  return unknown_type(type, "client");
}

std::string detail::reference_encode(const ServerMessage& msg) {
  json j = std::visit(
      Overload{
          [](const UserNotFound&) { return typed(wire::kUserNotFound); },
          [](const PermissionDenied&) { return typed(wire::kPermisionDeny); },
          [](const ExistingParticipants& m) {
            json j = typed(wire::kExistingParticipants);
            json list = json::array();
            for (const Participant& p : m.participants) list.push_back(participant_json(p));
            j["participants"] = std::move(list);
            return j;
          },
          [](const NewParticipantArrived& m) {
            json j = typed(wire::kNewParticipantArrived);
            j["participant"] = participant_json(m.participant);
            return j;
          },
          [](const ReceiveVideoAnswer& m) {
            json j = typed(wire::kReceiveVideoAnswer);
            j["userId"] = m.user_id;
            j["sdpAnswer"] = m.sdp_answer;
            return j;
          },
          [](const ParticipantLeft& m) {
            json j = typed(wire::kParticipantLeft);
            j["userId"] = m.user_id;
            return j;
          },
          [](const RemoteIceCandidate& m) {
            json j = typed(wire::kIceCandidate);
            j["userId"] = m.user_id;
            j[wire::kCandicate] = candidate_json(m.candidate);
            return j;
          },
          [](const ReceiveTextMessage& m) {
            json j = typed(wire::kReciveTextMessage);
            j["userId"] = m.user_id;
            j["message"] = m.message;
            return j;
          },
          [](const FileUploaded& m) {
            json j = typed(wire::kFileUploaded);
            j["userId"] = m.user_id;
            j["fileName"] = m.file_name;
            j["fileUrl"] = m.file_url;
            return j;
          },
          [](const UnrecognizedMessage&) { return typed(wire::kUnrecognizedMessage); },
      },
      msg);
  return dump_safe(j);
}

std::string detail::reference_encode(const ClientMessage& msg) {
  json j = std::visit(
      Overload{
          [](const Join& m) {
            json j = typed(wire::kJoin);
            j["room"] = m.room;
            j["userId"] = m.user_id;
            if (!m.pw.empty()) j["pw"] = m.pw;
            return j;
          },
          [](const SendMessage& m) {
            json j = typed(wire::kSendMessage);
            j["message"] = m.message;
            return j;
          },
          [](const UploadSuccess& m) {
            json j = typed(wire::kUploadSuccess);
            j["fileName"] = m.file_name;
            j["fileUrl"] = m.file_url;
            return j;
          },
          [](const OnIceCandidate& m) {
            json j = typed(wire::kOnIceCandidate);
            j["userId"] = m.user_id;
            j[wire::kCandidate] = candidate_json(m.candidate);
            return j;
          },
          [](const ReceiveVideoFrom& m) {
            json j = typed(wire::kReceiveVideoFrom);
            j["userId"] = m.user_id;
            j["sdpOffer"] = m.sdp_offer;
            return j;
          },
      },
      msg);
  return dump_safe(j);
}

Decoded<ServerMessage> decode_server(std::string_view frame, const Limits& limits) {
  if (frame.size() <= limits.max_frame_bytes && limits.max_depth >= kFastPathDepth) {
    if (auto m = detail::fast_decode_server(frame)) return std::move(*m);
  }
  return detail::reference_decode_server(frame, limits);
}

Decoded<ClientMessage> decode_client(std::string_view frame, const Limits& limits) {
  if (frame.size() <= limits.max_frame_bytes && limits.max_depth >= kFastPathDepth) {
    if (auto m = detail::fast_decode_client(frame)) return std::move(*m);
  }
  return detail::reference_decode_client(frame, limits);
}

std::string encode(const ServerMessage& msg) {
  if (auto s = detail::fast_encode(msg)) return std::move(*s);
  return detail::reference_encode(msg);
}

std::string encode(const ClientMessage& msg) {
  if (auto s = detail::fast_encode(msg)) return std::move(*s);
  return detail::reference_encode(msg);
}

std::string encode_heartbeat() {
  return dump_safe(typed(std::string(kHeartbeatType).c_str()));
}

const char* type_name(const ServerMessage& msg) {
  return std::visit(Overload{
                        [](const UserNotFound&) { return wire::kUserNotFound; },
                        [](const PermissionDenied&) { return wire::kPermisionDeny; },
                        [](const ExistingParticipants&) { return wire::kExistingParticipants; },
                        [](const NewParticipantArrived&) { return wire::kNewParticipantArrived; },
                        [](const ReceiveVideoAnswer&) { return wire::kReceiveVideoAnswer; },
                        [](const ParticipantLeft&) { return wire::kParticipantLeft; },
                        [](const RemoteIceCandidate&) { return wire::kIceCandidate; },
                        [](const ReceiveTextMessage&) { return wire::kReciveTextMessage; },
                        [](const FileUploaded&) { return wire::kFileUploaded; },
                        [](const UnrecognizedMessage&) { return wire::kUnrecognizedMessage; },
                    },
                    msg);
}

const char* type_name(const ClientMessage& msg) {
  return std::visit(Overload{
                        [](const Join&) { return wire::kJoin; },
                        [](const SendMessage&) { return wire::kSendMessage; },
                        [](const UploadSuccess&) { return wire::kUploadSuccess; },
                        [](const OnIceCandidate&) { return wire::kOnIceCandidate; },
                        [](const ReceiveVideoFrom&) { return wire::kReceiveVideoFrom; },
                    },
                    msg);
}

}  // namespace gc::protocol
