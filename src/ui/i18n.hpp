// Every user-visible string of the client, in one table: zh-CN and English.
//
// A string is named by a StringId; text(lang, id) returns its UTF-8 text. Strings that take
// values are printf formats ("%d", "%s" only) and both languages use the same conversions
// in the same order, so one call site formats either (the UI tests check this).
//
// The language is chosen from navigator.language (language_from_tag) or from the URL
// fragment's `lang` key, and can be switched at runtime: nothing caches translated text.
// The table holds no ImGui and no platform code; the app may hand all_text(lang) to the
// font atlas so every glyph of the UI is baked before it is needed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gc::ui {

enum class Language { kEnglish, kZhCn };

enum class StringId : int {
  // Application and language
  kAppTitle,
  kLanguageEnglish,  // endonyms: the same in both columns
  kLanguageChinese,
  kSwitchLanguageTooltip,
  kTextSize,         // %d: percent
  kTextSizeTooltip,

  // Join screen
  kJoinTitle,
  kJoinSubtitle,
  kServerLabel,
  kRoomLabel,
  kUserLabel,
  kPasswordLabel,
  kPasswordHint,
  kJoinButton,
  kJoiningButton,
  kCancelButton,
  kInvalidServer,
  kInvalidRoom,
  kInvalidUser,
  kConnectingToServer,
  kJoiningRoom,
  kLeftMeeting,

  // Failures of the previous attempt
  kErrUserNotFound,
  kErrUserNotFoundHint,
  kErrPermissionDenied,
  kErrPermissionDeniedHint,
  kErrServerUnreachable,
  kErrServerUnreachableHint,
  kErrProtocol,
  kErrProtocolHint,
  kErrReplaced,
  kErrReplacedHint,
  kUseHere,
  kKioskReplaced,  // %d = seconds
  kRetryInSeconds,  // %d
  kRetryingNow,
  kRetryNow,
  kAttemptNumber,  // %d

  // Notices (toasts)
  kNoticeCameraDenied,
  kNoticeCameraUnavailable,
  kNoticeConnectionLost,
  kNoticeReconnected,
  kNoticeServerUnreachable,
  kNoticeRefused,
  kNoticeGarbage,
  kNoticeReceiveFailed,  // %s = participant
  kNoticePublishFailed,
  kNoticeUploadFailed,  // %s = reason
  kNoticeRejoining,     // a planned rejoin to renegotiate media
  kNoticeServerError,   // the server closed with 1011; rejoining
  kNoticeChatSplit,     // %s = number of parts
  kDismiss,

  // Room: tiles
  kYou,
  kTileConnecting,
  kTileLive,
  kTileNoVideo,
  kTileReconnecting,
  kTileFailed,
  kTilePaused,
  kTileCapped,
  kShowVideo,
  kTileReceiveOnly,
  kTileCameraOff,
  kTileMuted,
  kUnnamedParticipant,  // %s = id
  kWaitingForOthers,
  kPagePrevious,
  kPageNext,
  kPageOf,  // %d / %d

  // Room: connection quality (issue 13 item 3)
  kQualityTooltip,
  kQualityTitle,  // %s = participant
  kQualityOwnStream,
  kQualityNoData,
  kQualityLast60s,
  kQualityBitrate,
  kQualityFps,
  kQualityResolution,
  kQualityLoss,
  kQualityJitter,
  kQualityRtt,
  kQualityLimitation,
  kQualityLimitNone,
  kQualityLimitBandwidth,
  kQualityLimitCpu,
  kQualityLimitOther,
  kQualityClose,

  // Controls bar
  kMute,
  kUnmute,
  kCameraOff,
  kCameraOn,
  kLeave,
  kDevices,
  kCamera,
  kMicrophone,
  kNoDevices,
  kDefaultDevice,
  // Speaker layout, microphone meter, pre-join check (issue 13 items 2, 7)
  kLayoutSpeaker,
  kLayoutGrid,
  kMicLevel,
  kPreviewStarting,
  kPreviewNoCamera,
  kPreviewFailed,
  kPreviewDenied,
  kPreviewStart,
  kChat,
  kFiles,
  kHidePanel,
  kMediaUnavailableTooltip,

  // Chat
  kChatPlaceholder,
  kChatHint,
  kSend,
  kChatPending,
  kChatQueued,
  kChatSent,
  kChatNotSent,
  kChatNotConfirmed,
  kSendAgain,
  kNoMessages,
  kNewMessages,
  kCopyMessage,
  kChatTooLong,

  // Files
  kUploadButton,
  kDropHint,
  kUploads,
  kSharedFiles,
  kNoFiles,
  kUploadQueued,
  kUploadDone,
  kUploadCancelled,
  kErrUploadTooLarge,
  kErrUploadStalled,
  kRetryUpload,
  kErrUploadFailed,  // %s = reason
  kCancelUpload,
  kNotALink,
  kUploadedBy,  // %s = name, %s = time

  // Status bar
  kPhaseIdle,
  kPhaseConnecting,
  kPhaseJoining,
  kPhaseInRoom,
  kPhaseReconnecting,
  kPhaseRejoining,
  kPhaseReconnectingIn,  // %d seconds
  kPhaseLeft,
  kPhaseFailed,
  kStatusRoom,          // %s
  kStatusParticipants,  // %d
  kStatusServer,

  // Kiosk
  kEnableSound,
  kKioskReconnecting,

  // Deployment config and links that ask for another server (issue 11, item 1)
  kRefusedTitle,
  kRefusedServer,
  kRefusedUpload,
  kRefusedNothingOpened,
  kRefusedHintNoConfig,
  kRefusedHintConfig,
  kRefusedContinue,
  kCertificateHint,
  kKioskCertificateHint,  // %s = https://host:port/
  kConfigIgnored,         // %s = the problem

  // Screen sharing, pinning and keyboard shortcuts (issue 13 items 1, 4, 5)
  kShareScreen,
  kStopSharing,
  kNoticeScreenShareDenied,
  kNoticeScreenShareFailed,
  kNoticeScreenShareUnavailable,
  kTileSharing,
  kTilePinned,
  kPin,
  kUnpin,
  kShortcutsTitle,
  kShortcutsHint,
  kShortcutMute,
  kShortcutCamera,
  kShortcutShare,
  kShortcutLayout,
  kShortcutChat,
  kShortcutFiles,
  kShortcutPin,
  kShortcutHelp,
  kShortcutClose,
  kShortcutDoubleClick,
  kClose,

  // Accessibility mirror and announcements (issue 14): read by screen readers, not drawn
  kA11yParticipants,   // %d
  kA11yChatLog,
  kA11yQualityOf,      // %s = participant
  kA11yShowVideoOf,    // %s = participant
  kA11ySpeaking,
  kA11yJoined,         // %s
  kA11yLeft,           // %s
  kA11yShared,         // %s = who, %s = file
  kA11yNewMessages,    // %d
  kA11yMore,           // %d
  kA11yUnread,         // %d
  kA11yLineCut,        // %d = characters not read out

  kCount
};

inline constexpr std::size_t kStringCount = static_cast<std::size_t>(StringId::kCount);

// The text of `id` in `lang`; never null, never empty.
const char* text(Language lang, StringId id);

// The StringId the table row `index` claims to be (for the consistency test).
StringId table_id(std::size_t index);

// "zh", "zh-CN", "zh_TW", "ZH-hans" ... -> kZhCn; anything else (including "") -> kEnglish.
Language language_from_tag(std::string_view tag);

// BCP 47 tag of the language: "zh-CN" or "en".
const char* language_tag(Language lang);

// Every string of `lang` concatenated, for baking glyphs into the font atlas.
// Also holds the few characters the views draw outside the table (U+00D7, U+00B7).
std::string all_text(Language lang);

}  // namespace gc::ui
