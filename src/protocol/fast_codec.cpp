// Fast paths of the codec: see fast_codec.hpp for the contract (the nlohmann result wherever
// they answer, nullopt otherwise) and codec.cpp for the decoding policy they mirror.
//
// Decoding reads the frame once, left to right, into a fixed table of the fields the hot
// messages use (a string value stays a view into the frame unless it had escapes), then
// builds the message from the table. Any doubt is a nullopt: the reference code then
// produces the result, so the fast path never has to reproduce an error.
//
// Strings are scanned 8 bytes at a time (portable SWAR on uint64_t): one word test finds the
// next byte that is not plain text ('"', '\\', a control byte or a non-ASCII byte), so plain
// runs cost no per-byte work. A string without escapes is not copied until it moves into the
// message (one allocation of its exact size). SDP from Gson-lineage servers has an escape
// every ~30 bytes (\r\n, \u003d for '='), so escapes are a hot path: they are decoded
// inline into a buffer sized once, plain runs copied into it a word at a time. Encoding uses
// the same word test and writes through a pointer into a buffer sized ahead.
//
// Nothing here throws or aborts (Emscripten builds run without exception catching): every
// read is bounds-checked against the end of the frame, and the only allocations are strings.
#include "protocol/fast_codec.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "protocol/utf8.hpp"
#include "protocol/wire.hpp"

namespace gc::protocol::detail {
namespace {

// ---- plain text, 8 bytes at a time ------------------------------------------------------

constexpr std::uint64_t kEachByte = 0x0101010101010101u;
constexpr std::uint64_t kHigh = 0x80 * kEachByte;

// The 8 bytes at p, p[0] in the lowest byte whatever the host's byte order (so the lowest
// flag below is the first byte in the text). GCC -O2, clang and Emscripten turn this into
// one 8-byte load on little-endian targets (x86-64, wasm32); a loop would stay a loop.
std::uint64_t load_word(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return std::uint64_t{b[0]} | std::uint64_t{b[1]} << 8 | std::uint64_t{b[2]} << 16 |
         std::uint64_t{b[3]} << 24 | std::uint64_t{b[4]} << 32 | std::uint64_t{b[5]} << 40 |
         std::uint64_t{b[6]} << 48 | std::uint64_t{b[7]} << 56;
}

// Bit 7 set in the first byte of w (the lowest) that is not plain string text: '"', '\\',
// below 0x20, or 0x80 and above; zero when all 8 bytes are plain. A flag above the first may
// be spurious (a subtraction borrows out of a flagged byte into the next one), which is
// fine: callers only look at the lowest. Plain bytes never borrow: '"' ^ b and '\\' ^ b are
// 1..0x7F, and b - 0x20 is 0..0x5F.
std::uint64_t unplain_bytes(std::uint64_t w) {
  const std::uint64_t quote = (w ^ ('"' * kEachByte)) - kEachByte;       // 0xFF where '"'
  const std::uint64_t backslash = (w ^ ('\\' * kEachByte)) - kEachByte;  // 0xFF where '\\'
  const std::uint64_t control = w - 0x20 * kEachByte;                     // >= 0xE0 where < 0x20
  return (quote | backslash | control | w) & kHigh;
}

// What each one-letter escape (\" \\ \/ \b \f \n \r \t) stands for, 0 for other letters. A
// table, not a switch: SDP alternates \r and \n, which a jump table mispredicts every time.
struct SimpleEscapes {
  char of[256] = {};
  constexpr SimpleEscapes() {
    of[static_cast<unsigned char>('"')] = '"';
    of[static_cast<unsigned char>('\\')] = '\\';
    of[static_cast<unsigned char>('/')] = '/';
    of[static_cast<unsigned char>('b')] = '\b';
    of[static_cast<unsigned char>('f')] = '\f';
    of[static_cast<unsigned char>('n')] = '\n';
    of[static_cast<unsigned char>('r')] = '\r';
    of[static_cast<unsigned char>('t')] = '\t';
  }
  char operator[](unsigned char c) const { return of[c]; }
};
constexpr SimpleEscapes kSimpleEscapes;

// The other direction, as nlohmann writes it: the letter after the backslash for '"', '\\'
// and the control bytes with a short escape, 0 for bytes written as \u00xx or verbatim.
struct EscapeLetters {
  char of[256] = {};
  constexpr EscapeLetters() {
    of[static_cast<unsigned char>('"')] = '"';
    of[static_cast<unsigned char>('\\')] = '\\';
    of[static_cast<unsigned char>('\b')] = 'b';
    of[static_cast<unsigned char>('\f')] = 'f';
    of[static_cast<unsigned char>('\n')] = 'n';
    of[static_cast<unsigned char>('\r')] = 'r';
    of[static_cast<unsigned char>('\t')] = 't';
  }
  char operator[](unsigned char c) const { return of[c]; }
};
constexpr EscapeLetters kEscapeLetters;

bool is_plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// What JSON must escape: '"', '\\' and control bytes.
bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The first byte in [p, end) that is not plain string text, or end.
const char* skip_plain(const char* p, const char* end) {
  for (; end - p >= 8; p += 8) {
    if (const std::uint64_t hits = unplain_bytes(load_word(p))) {
      return p + __builtin_ctzll(hits) / 8;
    }
  }
  while (p != end && is_plain(static_cast<unsigned char>(*p))) ++p;
  return p;
}

// skip_plain that also copies what it skips to q (advanced alike), 8 bytes per store: a
// store may write up to 7 bytes past the plain run, so the caller keeps 8 bytes of room
// beyond what the run needs.
inline const char* copy_plain(const char* p, const char* end, char*& q) {
  for (; end - p >= 8; p += 8, q += 8) {
    const std::uint64_t word = load_word(p);
    std::memcpy(q, p, 8);
    if (const std::uint64_t hits = unplain_bytes(word)) {
      const int plain = __builtin_ctzll(hits) / 8;
      q += plain;
      return p + plain;
    }
  }
  while (p != end && is_plain(static_cast<unsigned char>(*p))) *q++ = *p++;
  return p;
}

// Length of the valid UTF-8 sequence at p (p < end), 0 if there is none. utf8::decode's
// "valid" is RFC 3629's, which is also what nlohmann's lexer and serializer accept.
std::size_t utf8_length(const char* p, const char* end) {
  std::uint32_t cp = 0;
  return utf8::decode(std::string_view(p, static_cast<std::size_t>(end - p)), 0, cp);
}

// The value of each hex digit (either case), -1 for other bytes.
struct HexDigits {
  std::int8_t of[256] = {};
  constexpr HexDigits() {
    for (int c = 0; c < 256; ++c) of[c] = -1;
    for (int d = 0; d < 10; ++d) of['0' + d] = static_cast<std::int8_t>(d);
    for (int d = 0; d < 6; ++d) {
      of['a' + d] = static_cast<std::int8_t>(10 + d);
      of['A' + d] = static_cast<std::int8_t>(10 + d);
    }
  }
  int operator[](char c) const { return of[static_cast<unsigned char>(c)]; }
};
constexpr HexDigits kHexDigits;

// Four hex digits at p, advanced past them.
bool read_hex4(const char*& p, const char* end, std::uint32_t& cp) {
  if (end - p < 4) return false;
  const int a = kHexDigits[p[0]], b = kHexDigits[p[1]], c = kHexDigits[p[2]],
            d = kHexDigits[p[3]];
  if ((a | b | c | d) < 0) return false;
  cp = static_cast<std::uint32_t>(a << 12 | b << 8 | c << 4 | d);
  p += 4;
  return true;
}

// The \uXXXX escape at p (its backslash, p[1] == 'u'), written at q as UTF-8; both advanced.
// As nlohmann: either case, a high surrogate only with a low one right after it, no lone low
// surrogate. At most 4 bytes written, never more than were read.
bool read_unicode_escape(const char*& p, const char* end, char*& q) {
  p += 2;
  std::uint32_t cp = 0;
  if (!read_hex4(p, end, cp) || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    std::uint32_t low = 0;
    if (end - p < 2 || p[0] != '\\' || p[1] != 'u') return false;
    p += 2;
    if (!read_hex4(p, end, low) || low < 0xDC00 || low > 0xDFFF) return false;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  q = utf8::write(cp, q);
  return true;
}

// ---- decoding ---------------------------------------------------------------------------

// The fields the fast path reads, at the top level and inside candidate/participant.
enum TopField { kType, kUserId, kRoom, kPw, kMessage, kFileName, kFileUrl, kSdpAnswer,
                kSdpOffer, kCandicate, kCandidate, kParticipant, kTopFieldCount };
enum InnerField { kCandidateText, kSdpMid, kSdpMLineIndex, kId, kName, kPrefix, kPostfix,
                  kInnerFieldCount };

struct Name {
  std::string_view text;
  int field;
};
// Most frequent first (trickle ICE dominates): field_of tries them in this order.
constexpr Name kTopNames[] = {
    {"type", kType},         {"userId", kUserId},
    {wire::kCandicate, kCandicate}, {wire::kCandidate, kCandidate},
    {"sdpAnswer", kSdpAnswer},      {"sdpOffer", kSdpOffer},
    {"message", kMessage},   {"participant", kParticipant},
    {"fileName", kFileName}, {"fileUrl", kFileUrl},
    {"room", kRoom},         {"pw", kPw},
};
constexpr Name kInnerNames[] = {
    {"candidate", kCandidateText}, {"sdpMid", kSdpMid}, {"sdpMLineIndex", kSdpMLineIndex},
    {"id", kId},                   {"name", kName},     {"prefix", kPrefix},
    {"postfix", kPostfix},
};

// The field named key, -1 for a key the fast path does not read. Length and first byte
// rule out most names before a memcmp.
template <std::size_t N>
int field_of(std::string_view key, const Name (&names)[N]) {
  for (const Name& n : names) {
    if (n.text.size() == key.size() && n.text[0] == key[0] && n.text == key) return n.field;
  }
  return -1;
}

// Trivially constructible (no std::string_view member, whose constructor zeroes it), so a
// table of them costs nothing until an entry is written.
struct Value {
  enum class Kind : std::uint8_t { kAbsent, kNull, kString, kInteger, kObject };
  Kind kind;
  std::int8_t pooled;    // kString with escapes: its index in Decoder::pool_, else -1
  std::int8_t object;    // kObject: its index in Decoder::inner_
  const char* data;      // kString: its text (in the frame, or in the pool when escaped)
  std::size_t size;
  std::int64_t integer;  // kInteger: 0..kMaxWireInteger
  bool absent() const { return kind == Kind::kAbsent || kind == Kind::kNull; }  // null = absent
  std::string_view text() const { return std::string_view(data, size); }
  void set_text(std::string_view t) {
    data = t.data();
    size = t.size();
  }
};
constexpr Value kAbsentValue{Value::Kind::kAbsent, -1, -1, nullptr, 0, 0};

// The known fields of one object. An entry is written when its key is read and read only
// when its bit is set, so a table costs one word to set up, not a loop over every field.
template <std::size_t N>
class Fields {
 public:
  const Value& operator[](int field) const {
    return (present_ >> field & 1u) != 0 ? values_[field] : kAbsentValue;
  }
  // The entry for `field`, now present; nullptr when it already was (a repeated key).
  Value* claim(int field) {
    const std::uint32_t bit = 1u << field;
    if ((present_ & bit) != 0) return nullptr;
    present_ |= bit;
    values_[field] = kAbsentValue;
    return &values_[field];
  }

 private:
  std::uint32_t present_ = 0;
  Value values_[N];
};
using TopFields = Fields<kTopFieldCount>;
using InnerFields = Fields<kInnerFieldCount>;

class Decoder {
 public:
  explicit Decoder(std::string_view frame)
      : p_(frame.data()), end_(frame.data() + frame.size()) {}

  // Reads the frame: true when it is exactly one object of the supported shape (whitespace
  // around it allowed, nothing else).
  bool read() {
    skip_whitespace();
    if (p_ == end_ || *p_ != '{') return false;
    if (!read_object(top_, kTopNames, /*top=*/true)) return false;
    skip_whitespace();
    return p_ == end_;
  }

  std::optional<ServerMessage> server();
  std::optional<ClientMessage> client();

 private:
  // Strings with escapes per frame we keep decoded; a frame with more is left to nlohmann.
  static constexpr int kPoolSize = 8;
  // Objects inside the top level we keep (candicate, candidate, participant and any other
  // known key holding an object, which fails to decode anyway).
  static constexpr int kMaxInner = 3;
  // A decoded string is sized for the rest of the frame (see unescape). Before it moves into
  // a message that may live long (chat history), an unused tail larger than both kMaxSlack
  // and the text itself is given back: what escapes leave over (\u003d is 6 bytes for 1)
  // stays, the rest of a long frame does not.
  static constexpr std::size_t kMaxSlack = 256;

  void skip_whitespace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  // `{` ... `}` at p_ into fields (the table `names` names). Top level: values may be
  // objects (read with the inner names). Inside: strings, integers and null only.
  template <std::size_t N>
  bool read_object(Fields<N>& fields, const Name (&names)[N], bool top) {
    ++p_;
    skip_whitespace();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    for (;;) {
      skip_whitespace();
      if (p_ == end_ || *p_ != '"') return false;
      // A key with escapes is legal JSON that no server sends: left to nlohmann.
      std::string_view key;
      if (scan_string(key) != Scan::kClosed) return false;
      const int field = field_of(key, names);
      skip_whitespace();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_whitespace();
      Value ignored = kAbsentValue;
      Value* v = field < 0 ? &ignored : fields.claim(field);
      // nlohmann keeps the last of repeated keys; rare enough to leave to it.
      if (v == nullptr || !read_value(*v, field >= 0, top)) return false;
      skip_whitespace();
      if (p_ == end_) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
    }
  }

  // A value at p_. `keep`: a known field (its string may need a pooled copy, its object a
  // table); otherwise the value is only checked.
  bool read_value(Value& v, bool keep, bool top) {
    if (p_ == end_) return false;
    const char c = *p_;
    if (c == '"') {
      v.kind = Value::Kind::kString;
      const char* const start = p_ + 1;
      std::string_view text;
      const Scan scan = scan_string(text);
      v.set_text(text);
      if (scan != Scan::kEscape) return scan == Scan::kClosed;
      if (!keep) return unescape<false>(start, nullptr);
      if (pool_used_ == kPoolSize) return false;
      v.pooled = static_cast<std::int8_t>(pool_used_++);
      std::string& out = pool_[v.pooled];
      if (!unescape<true>(start, &out)) return false;
      v.set_text(out);
      return true;
    }
    if (c >= '0' && c <= '9') {
      v.kind = Value::Kind::kInteger;
      return read_integer(v.integer);
    }
    if (c == 'n') {
      if (end_ - p_ < 4 || std::string_view(p_, 4) != "null") return false;
      p_ += 4;
      v.kind = Value::Kind::kNull;
      return true;
    }
    if (c == '{' && top) {
      v.kind = Value::Kind::kObject;
      if (!keep) {
        InnerFields ignored;
        return read_object(ignored, kInnerNames, /*top=*/false);
      }
      if (inner_used_ == kMaxInner) return false;
      v.object = static_cast<std::int8_t>(inner_used_++);
      return read_object(inner_[v.object], kInnerNames, /*top=*/false);
    }
    return false;  // arrays, booleans, negative numbers, deeper objects, invalid JSON
  }

  enum class Scan { kClosed, kEscape, kInvalid };

  // The string at p_ (its opening quote), up to its closing quote (kClosed: `text` is its
  // bytes, p_ is past the quote) or its first escape (kEscape: p_ is at the backslash).
  // kInvalid on what nlohmann rejects: a raw control byte, invalid UTF-8, no closing quote.
  Scan scan_string(std::string_view& text) {
    const char* const start = ++p_;
    for (;;) {
      p_ = skip_plain(p_, end_);
      if (p_ == end_) return Scan::kInvalid;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        text = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return Scan::kClosed;
      }
      if (c == '\\') return Scan::kEscape;
      if (c < 0x20) return Scan::kInvalid;
      const std::size_t len = utf8_length(p_, end_);
      if (len == 0) return Scan::kInvalid;
      p_ += len;
    }
  }

  // The rest of the string that starts at `start`, from its first escape at p_: decoded
  // into *out (kWrite), or only checked. No escape decodes to more bytes than it takes in the
  // frame, so *out is sized once to the rest of the frame and written through a pointer that
  // never passes the input's offset; that slack also lets plain bytes be copied a whole word
  // at a time, ahead of the scan. (Checking needs no buffer, so strings of unknown fields
  // cost no memory however many there are.)
  template <bool kWrite>
  bool unescape(const char* start, std::string* out) {
    // Locals, not members, so the loop keeps them in registers.
    const char* p = p_;
    const char* const end = end_;
    char* base = nullptr;
    char* q = nullptr;
    char discard[4];  // kWrite == false: where \u escapes are decoded to, and dropped
    if constexpr (kWrite) {
      out->resize(static_cast<std::size_t>(end - start));
      base = &(*out)[0];
      std::memcpy(base, start, static_cast<std::size_t>(p - start));
      q = base + (p - start);
    }
    for (;;) {
      // p is at a byte that is not plain text.
      const auto c = static_cast<unsigned char>(*p);
      if (c == '\\') {
        // Escapes often come in runs (\r\n): stay here while they do.
        do {
          if (end - p < 2) return false;
          if (const char plain = kSimpleEscapes[static_cast<unsigned char>(p[1])]) {
            if constexpr (kWrite) *q++ = plain;
            p += 2;
          } else {
            if constexpr (!kWrite) q = discard;
            if (p[1] != 'u' || !read_unicode_escape(p, end, q)) return false;
          }
        } while (p != end && *p == '\\');
      } else if (c == '"') {
        p_ = p + 1;
        if constexpr (kWrite) out->resize(static_cast<std::size_t>(q - base));
        return true;
      } else if (c < 0x20) {
        return false;
      } else {
        const std::size_t len = utf8_length(p, end);
        if (len == 0) return false;
        if constexpr (kWrite) {
          std::memcpy(q, p, len);
          q += len;
        }
        p += len;
      }
      if constexpr (kWrite) {
        p = copy_plain(p, end, q);
      } else {
        p = skip_plain(p, end);
      }
      if (p == end) return false;
    }
  }

  // A JSON integer at p_ (its first digit) of at most kMaxWireInteger. Fractions and
  // exponents (floats to nlohmann), leading zeros (invalid JSON) and larger numbers (which
  // nlohmann may hold as a float or reject as an overflow) are left to the reference code.
  bool read_integer(std::int64_t& out) {
    std::int64_t value = *p_++ - '0';
    if (value != 0) {
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
        value = value * 10 + (*p_++ - '0');
        if (value > kMaxWireInteger) return false;
      }
    }
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E' || (*p_ >= '0' && *p_ <= '9'))) {
      return false;
    }
    out = value;
    return true;
  }

  // ---- fields, as FieldReader reads them where it succeeds ----

  std::string take(const Value& v) {
    if (v.pooled < 0) return std::string(v.text());
    std::string& s = pool_[v.pooled];
    if (s.capacity() - s.size() > std::max(kMaxSlack, s.size())) s.shrink_to_fit();
    return std::move(s);
  }

  bool string_field(const Value& v, bool required, std::string& out) {
    if (v.absent()) {
      out.clear();
      return !required;
    }
    if (v.kind != Value::Kind::kString) return false;
    out = take(v);
    return true;
  }

  // JSON integers, or digit strings ("007" is 7); signed strings are left to the reference.
  template <class Int>
  bool integer_field(const Value& v, bool required, std::int64_t max, Int& out) {
    if (v.absent()) {
      out = 0;
      return !required;
    }
    std::int64_t value = 0;
    if (v.kind == Value::Kind::kInteger) {
      value = v.integer;
    } else if (v.kind == Value::Kind::kString && v.size != 0) {
      for (char c : v.text()) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
        if (value > max) return false;
      }
    } else {
      return false;
    }
    if (value > max) return false;
    out = static_cast<Int>(value);
    return true;
  }

  const InnerFields* object(const Value& v) const {
    return v.kind == Value::Kind::kObject ? &inner_[v.object] : nullptr;
  }

  bool participant(const Value& v, Participant& out) {
    const InnerFields* in = object(v);
    return in != nullptr && integer_field((*in)[kId], true, kMaxWireInteger, out.id) &&
           string_field((*in)[kName], false, out.name) &&
           string_field((*in)[kPrefix], false, out.prefix) &&
           string_field((*in)[kPostfix], false, out.postfix);
  }

  bool candidate(const Value& v, IceCandidate& out) {
    const InnerFields* in = object(v);
    if (in == nullptr || !string_field((*in)[kCandidateText], true, out.candidate)) return false;
    const Value& mid = (*in)[kSdpMid];
    out.sdp_mid.reset();
    if (!mid.absent()) {
      if (mid.kind != Value::Kind::kString) return false;
      out.sdp_mid = take(mid);
    }
    const Value& index = (*in)[kSdpMLineIndex];
    out.sdp_mline_index.reset();
    if (!index.absent()) {
      int value = 0;
      if (!integer_field(index, true, wire::kMaxMLineIndex, value)) return false;
      out.sdp_mline_index = value;
    }
    return true;
  }

  bool user_id(UserId& out) { return integer_field(top_[kUserId], true, kMaxWireInteger, out); }

  const char* p_;
  const char* const end_;
  TopFields top_;
  InnerFields inner_[kMaxInner];
  int inner_used_ = 0;
  std::string pool_[kPoolSize];
  int pool_used_ = 0;
};

// The message M read by read(M&), built in place in the returned optional (no moves of the
// variant on the way out), or nullopt when read fails.
template <class Message, class Variant, class Read>
std::optional<Variant> build(Read read) {
  std::optional<Variant> out(std::in_place, std::in_place_type<Message>);
  if (!read(*std::get_if<Message>(&*out))) out.reset();
  return out;
}

std::optional<ServerMessage> Decoder::server() {
  const Value& t = top_[kType];
  if (t.kind != Value::Kind::kString) return std::nullopt;
  const std::string_view type = t.text();
  if (type == wire::kUserNotFound) return ServerMessage{UserNotFound{}};
  if (type == wire::kPermisionDeny || type == wire::kPermissionDeny) {
    return ServerMessage{PermissionDenied{}};
  }
  if (type == wire::kUnrecognizedMessage) return ServerMessage{UnrecognizedMessage{}};
  if (type == wire::kNewParticipantArrived) {
    return build<NewParticipantArrived, ServerMessage>([&](NewParticipantArrived& m) {
      return participant(top_[kParticipant], m.participant);
    });
  }
  if (type == wire::kReceiveVideoAnswer) {
    return build<ReceiveVideoAnswer, ServerMessage>([&](ReceiveVideoAnswer& m) {
      return user_id(m.user_id) && string_field(top_[kSdpAnswer], true, m.sdp_answer);
    });
  }
  if (type == wire::kParticipantLeft) {
    return build<ParticipantLeft, ServerMessage>(
        [&](ParticipantLeft& m) { return user_id(m.user_id); });
  }
  if (type == wire::kIceCandidate) {
    return build<RemoteIceCandidate, ServerMessage>([&](RemoteIceCandidate& m) {
      // As the reference: "candicate" (sic) unless absent or null, then "candidate".
      const Value& c = top_[kCandicate].absent() ? top_[kCandidate] : top_[kCandicate];
      return user_id(m.user_id) && candidate(c, m.candidate);
    });
  }
  if (type == wire::kReciveTextMessage || type == wire::kReceiveTextMessage) {
    return build<ReceiveTextMessage, ServerMessage>([&](ReceiveTextMessage& m) {
      return user_id(m.user_id) && string_field(top_[kMessage], false, m.message);
    });
  }
  if (type == wire::kFileUploaded) {
    return build<FileUploaded, ServerMessage>([&](FileUploaded& m) {
      return user_id(m.user_id) && string_field(top_[kFileName], false, m.file_name) &&
             string_field(top_[kFileUrl], true, m.file_url);
    });
  }
  // existingParticipants (an array) and unknown types: the reference answers.
  return std::nullopt;
}

std::optional<ClientMessage> Decoder::client() {
  const Value& t = top_[kType];
  if (t.kind != Value::Kind::kString) return std::nullopt;
  const std::string_view type = t.text();
  if (type == wire::kJoin) {
    return build<Join, ClientMessage>([&](Join& m) {
      return integer_field(top_[kRoom], false, kMaxWireInteger, m.room) && user_id(m.user_id) &&
             string_field(top_[kPw], false, m.pw);
    });
  }
  if (type == wire::kSendMessage) {
    return build<SendMessage, ClientMessage>(
        [&](SendMessage& m) { return string_field(top_[kMessage], true, m.message); });
  }
  if (type == wire::kUploadSuccess) {
    return build<UploadSuccess, ClientMessage>([&](UploadSuccess& m) {
      return string_field(top_[kFileName], true, m.file_name) &&
             string_field(top_[kFileUrl], true, m.file_url);
    });
  }
  if (type == wire::kOnIceCandidate) {
    return build<OnIceCandidate, ClientMessage>([&](OnIceCandidate& m) {
      return user_id(m.user_id) && candidate(top_[kCandidate], m.candidate);
    });
  }
  if (type == wire::kReceiveVideoFrom) {
    return build<ReceiveVideoFrom, ClientMessage>([&](ReceiveVideoFrom& m) {
      return user_id(m.user_id) && string_field(top_[kSdpOffer], true, m.sdp_offer);
    });
  }
  return std::nullopt;
}

// ---- encoding ---------------------------------------------------------------------------

// Writes one object the way nlohmann's dump(-1, ' ', false, replace) does. Callers give the
// keys in std::map order (nlohmann's object_t sorts them), each value right after its key.
// Output goes through a pointer into a buffer kept ahead of it by ensure(), so escaping a
// string is stores, not a std::string append per piece.
class Writer {
 public:
  // text_bytes: the message's string bytes; the usual escapes (SDP's \r\n) fit the slack.
  explicit Writer(std::size_t text_bytes) : buf_(text_bytes + text_bytes / 8 + kSlack, '\0') {
    base_ = &buf_[0];
    q_ = base_;
    limit_ = base_ + buf_.size();
    *q_++ = '{';
  }
  Writer(const Writer&) = delete;  // holds pointers into its own buffer
  Writer& operator=(const Writer&) = delete;

  Writer& key(std::string_view name) {
    ensure(name.size() + 4);
    if (!first_) *q_++ = ',';
    first_ = false;
    *q_++ = '"';
    std::memcpy(q_, name.data(), name.size());
    q_ += name.size();
    *q_++ = '"';
    *q_++ = ':';
    return *this;
  }
  Writer& open() {
    put("{");
    first_ = true;
    return *this;
  }
  Writer& close() {
    put("}");
    first_ = false;
    return *this;
  }
  Writer& raw(std::string_view text) {
    put(text);
    return *this;
  }
  Writer& name(std::string_view wire_name) {  // a wire name: ASCII letters, nothing to escape
    ensure(wire_name.size() + 2);
    *q_++ = '"';
    std::memcpy(q_, wire_name.data(), wire_name.size());
    q_ += wire_name.size();
    *q_++ = '"';
    return *this;
  }

  // As nlohmann: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx (lowercase hex),
  // everything else (DEL and non-ASCII included) verbatim. Invalid UTF-8 fails the object.
  Writer& str(std::string_view s) {
    if (!ok_) return *this;
    put("\"");
    const char* p = s.data();
    const char* const end = p + s.size();
    while (p < end) {
      // Up to kBlock input bytes per check: each becomes at most 6 (\u00xx), a UTF-8
      // sequence may run 3 bytes past the block, and copy_plain stores 8 bytes at a time.
      const char* const block_end = end - p > kBlock ? p + kBlock : end;
      ensure(6 * static_cast<std::size_t>(block_end - p) + 16);
      char* q = q_;  // a local, so the loop keeps it in a register
      while (p < block_end) {
        p = copy_plain(p, block_end, q);
        if (p == block_end) break;
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x80) {
          const std::size_t len = utf8_length(p, end);
          if (len == 0) {
            ok_ = false;
            return *this;
          }
          std::memcpy(q, p, len);
          q += len;
          p += len;
        } else {
          // Escapes often come in runs (\r\n): stay here while they do.
          do {
            q = escape(static_cast<unsigned char>(*p), q);
            ++p;
          } while (p < block_end && needs_escape(static_cast<unsigned char>(*p)));
        }
      }
      q_ = q;
    }
    put("\"");
    return *this;
  }

  Writer& num(std::int64_t v) {
    char digits[20];  // "-9223372036854775808"
    char* d = digits + sizeof digits;
    std::uint64_t u = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    do {
      *--d = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (v < 0) *--d = '-';
    put(std::string_view(d, static_cast<std::size_t>(digits + sizeof digits - d)));
    return *this;
  }

  Writer& str_or_null(const std::optional<std::string>& s) {
    return s ? str(*s) : raw("null");
  }
  Writer& num_or_null(const std::optional<int>& v) { return v ? num(*v) : raw("null"); }

  std::optional<std::string> finish() {
    if (!ok_) return std::nullopt;
    put("}");
    buf_.resize(static_cast<std::size_t>(q_ - base_));
    return std::move(buf_);
  }

 private:
  static constexpr std::ptrdiff_t kBlock = 64;
  static constexpr std::size_t kSlack = 6 * kBlock + 128;

  // Room for n more bytes at q_.
  void ensure(std::size_t n) {
    if (static_cast<std::size_t>(limit_ - q_) >= n) return;
    const auto used = static_cast<std::size_t>(q_ - base_);
    buf_.resize(std::max(2 * buf_.size(), used + n));
    base_ = &buf_[0];
    q_ = base_ + used;
    limit_ = base_ + buf_.size();
  }

  void put(std::string_view s) {
    ensure(s.size());
    std::memcpy(q_, s.data(), s.size());
    q_ += s.size();
  }

  // Writes the escape for c (a byte below 0x20, '"' or '\\') at q; returns its end.
  static char* escape(unsigned char c, char* q) {
    *q++ = '\\';
    if (const char letter = kEscapeLetters[c]) {
      *q++ = letter;
      return q;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    const char u[5] = {'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
    std::memcpy(q, u, 5);
    return q + 5;
  }

  std::string buf_;
  char* base_;
  char* q_;
  char* limit_;
  bool first_ = true;
  bool ok_ = true;
};

void put_candidate(Writer& w, const IceCandidate& c) {
  w.open()
      .key("candidate").str(c.candidate)
      .key("sdpMLineIndex").num_or_null(c.sdp_mline_index)
      .key("sdpMid").str_or_null(c.sdp_mid)
      .close();
}

void put_participant(Writer& w, const Participant& p) {
  w.open()
      .key("id").num(p.id)
      .key("name").str(p.name)
      .key("postfix").str(p.postfix)
      .key("prefix").str(p.prefix)
      .close();
}

std::size_t text_bytes(const Participant& p) {
  return p.name.size() + p.prefix.size() + p.postfix.size();
}

std::size_t text_bytes(const IceCandidate& c) {
  return c.candidate.size() + (c.sdp_mid ? c.sdp_mid->size() : 0);
}

}  // namespace

std::optional<ServerMessage> fast_decode_server(std::string_view frame) {
  Decoder d(frame);
  if (!d.read()) return std::nullopt;
  return d.server();
}

std::optional<ClientMessage> fast_decode_client(std::string_view frame) {
  Decoder d(frame);
  if (!d.read()) return std::nullopt;
  return d.client();
}

std::optional<std::string> fast_encode(const ServerMessage& msg) {
  return std::visit(
      Overload{
          [](const UserNotFound&) {
            return Writer(0).key("type").name(wire::kUserNotFound).finish();
          },
          [](const PermissionDenied&) {
            return Writer(0).key("type").name(wire::kPermisionDeny).finish();
          },
          [](const ExistingParticipants& m) {
            std::size_t bytes = 0;
            for (const Participant& p : m.participants) bytes += text_bytes(p) + 64;
            Writer w(bytes);
            w.key("participants").raw("[");
            for (std::size_t i = 0; i < m.participants.size(); ++i) {
              if (i != 0) w.raw(",");
              put_participant(w, m.participants[i]);
            }
            return w.raw("]").key("type").name(wire::kExistingParticipants).finish();
          },
          [](const NewParticipantArrived& m) {
            Writer w(text_bytes(m.participant));
            w.key("participant");
            put_participant(w, m.participant);
            return w.key("type").name(wire::kNewParticipantArrived).finish();
          },
          [](const ReceiveVideoAnswer& m) {
            return Writer(m.sdp_answer.size())
                .key("sdpAnswer").str(m.sdp_answer)
                .key("type").name(wire::kReceiveVideoAnswer)
                .key("userId").num(m.user_id)
                .finish();
          },
          [](const ParticipantLeft& m) {
            return Writer(0)
                .key("type").name(wire::kParticipantLeft)
                .key("userId").num(m.user_id)
                .finish();
          },
          [](const RemoteIceCandidate& m) {
            Writer w(text_bytes(m.candidate));
            w.key(wire::kCandicate);
            put_candidate(w, m.candidate);
            return w.key("type").name(wire::kIceCandidate).key("userId").num(m.user_id).finish();
          },
          [](const ReceiveTextMessage& m) {
            return Writer(m.message.size())
                .key("message").str(m.message)
                .key("type").name(wire::kReciveTextMessage)
                .key("userId").num(m.user_id)
                .finish();
          },
          [](const FileUploaded& m) {
            return Writer(m.file_name.size() + m.file_url.size())
                .key("fileName").str(m.file_name)
                .key("fileUrl").str(m.file_url)
                .key("type").name(wire::kFileUploaded)
                .key("userId").num(m.user_id)
                .finish();
          },
          [](const UnrecognizedMessage&) {
            return Writer(0).key("type").name(wire::kUnrecognizedMessage).finish();
          },
      },
      msg);
}

std::optional<std::string> fast_encode(const ClientMessage& msg) {
  return std::visit(
      Overload{
          [](const Join& m) {
            Writer w(m.pw.size());
            if (!m.pw.empty()) w.key("pw").str(m.pw);  // omitted when empty
            return w.key("room").num(m.room)
                .key("type").name(wire::kJoin)
                .key("userId").num(m.user_id)
                .finish();
          },
          [](const SendMessage& m) {
            return Writer(m.message.size())
                .key("message").str(m.message)
                .key("type").name(wire::kSendMessage)
                .finish();
          },
          [](const UploadSuccess& m) {
            return Writer(m.file_name.size() + m.file_url.size())
                .key("fileName").str(m.file_name)
                .key("fileUrl").str(m.file_url)
                .key("type").name(wire::kUploadSuccess)
                .finish();
          },
          [](const OnIceCandidate& m) {
            Writer w(text_bytes(m.candidate));
            w.key(wire::kCandidate);
            put_candidate(w, m.candidate);
            return w.key("type").name(wire::kOnIceCandidate).key("userId").num(m.user_id).finish();
          },
          [](const ReceiveVideoFrom& m) {
            return Writer(m.sdp_offer.size())
                .key("sdpOffer").str(m.sdp_offer)
                .key("type").name(wire::kReceiveVideoFrom)
                .key("userId").num(m.user_id)
                .finish();
          },
      },
      msg);
}

}  // namespace gc::protocol::detail
