#include "ui/i18n.hpp"

#include <cctype>

namespace gc::ui {
namespace {

struct Row {
  StringId id;
  const char* en;
  const char* zh;
};

// The one table. Rows are in StringId order; table_id() lets the tests verify that.
constexpr Row kTable[] = {
    {StringId::kAppTitle, "Group call", "视频会议"},
    {StringId::kLanguageEnglish, "English", "English"},
    {StringId::kLanguageChinese, "中文", "中文"},
    {StringId::kSwitchLanguageTooltip, "Switch language", "切换语言"},
    {StringId::kTextSize, "Text size %d%%", "文字大小 %d%%"},
    {StringId::kTextSizeTooltip, "Larger text, up to twice the size, then back", "放大文字，最大两倍，然后恢复"},

    {StringId::kJoinTitle, "Join a meeting", "加入会议"},
    {StringId::kJoinSubtitle, "Enter the room and your user ID to join.",
     "输入房间号和你的用户 ID 即可加入。"},
    {StringId::kServerLabel, "Server", "服务器"},
    {StringId::kRoomLabel, "Room", "房间号"},
    {StringId::kUserLabel, "User ID", "用户 ID"},
    {StringId::kPasswordLabel, "Password", "密码"},
    {StringId::kPasswordHint, "Leave empty if the room has none", "房间没有密码时留空"},
    {StringId::kJoinButton, "Join", "加入"},
    {StringId::kJoiningButton, "Joining...", "正在加入…"},
    {StringId::kCancelButton, "Cancel", "取消"},
    {StringId::kInvalidServer, "The server address must start with ws:// or wss://",
     "服务器地址必须以 ws:// 或 wss:// 开头"},
    {StringId::kInvalidRoom, "The room must be a whole number, 0 or more",
     "房间号必须是大于或等于 0 的整数"},
    {StringId::kInvalidUser, "The user ID must be a whole number, 0 or more",
     "用户 ID 必须是大于或等于 0 的整数"},
    {StringId::kConnectingToServer, "Connecting to the server...", "正在连接服务器…"},
    {StringId::kJoiningRoom, "Joining the room...", "正在加入房间…"},
    {StringId::kLeftMeeting, "You left the meeting.", "你已离开会议。"},

    {StringId::kErrUserNotFound, "This user ID is not known to the server.",
     "服务器上不存在这个用户 ID。"},
    {StringId::kErrUserNotFoundHint, "Check the number and join again.",
     "请核对用户 ID 后重新加入。"},
    {StringId::kErrPermissionDenied, "The room password is wrong or missing.",
     "房间密码错误或未填写。"},
    {StringId::kErrPermissionDeniedHint, "Enter the password and join again.",
     "请输入正确的密码后重新加入。"},
    {StringId::kErrServerUnreachable, "Cannot reach the server.", "无法连接到服务器。"},
    {StringId::kErrServerUnreachableHint,
     "Check the address and your network. The client keeps trying.",
     "请检查服务器地址和网络连接，客户端会自动重试。"},
    {StringId::kErrProtocol, "The server did not understand this client.",
     "服务器无法识别本客户端的请求。"},
    {StringId::kErrProtocolHint, "The server may run a different version. Try again later.",
     "服务器版本可能不兼容，请稍后重试。"},
    {StringId::kErrReplaced, "This user joined from another window.", "该用户已在另一个窗口加入。"},
    {StringId::kErrReplacedHint, "Use here to continue in this window; the other one will be signed out.",
     "点击“在此使用”在本窗口继续，另一个窗口将退出。"},
    {StringId::kUseHere, "Use here", "在此使用"},
    {StringId::kKioskReplaced, "This user joined from another window. Retrying in %d s",
     "该用户已在另一个窗口加入，%d 秒后重试"},
    {StringId::kRetryInSeconds, "Retrying in %d s", "%d 秒后重试"},
    {StringId::kRetryingNow, "Retrying...", "正在重试…"},
    {StringId::kRetryNow, "Retry now", "立即重试"},
    {StringId::kAttemptNumber, "attempt %d", "第 %d 次尝试"},

    {StringId::kNoticeCameraDenied,
     "Camera or microphone access was denied: you joined receive-only.",
     "摄像头或麦克风权限被拒绝：你以仅接收模式加入。"},
    {StringId::kNoticeCameraUnavailable,
     "No camera or microphone is available: you joined receive-only.",
     "没有可用的摄像头或麦克风：你以仅接收模式加入。"},
    {StringId::kNoticeConnectionLost, "Connection lost. Reconnecting...", "连接已断开，正在重连…"},
    {StringId::kNoticeReconnected, "Reconnected.", "已重新连接。"},
    {StringId::kNoticeServerUnreachable, "The server cannot be reached.", "无法连接到服务器。"},
    {StringId::kNoticeRefused, "The server refused to let you join.", "服务器拒绝了加入请求。"},
    {StringId::kNoticeGarbage, "The server sent a message that could not be read; it was ignored.",
     "服务器发来无法识别的消息，已忽略。"},
    {StringId::kNoticeReceiveFailed, "The video of %s could not be received.",
     "无法接收 %s 的视频。"},
    {StringId::kNoticePublishFailed, "Your camera could not be sent to the room.",
     "无法向房间发送你的摄像头画面。"},
    {StringId::kNoticeUploadFailed, "Upload failed: %s", "上传失败：%s"},
    {StringId::kNoticeRejoining, "Rejoining the room to restore video...", "正在重新加入房间以恢复视频…"},
    {StringId::kNoticeServerError, "The server closed the connection after an error. Rejoining...",
     "服务器出错并断开了连接，正在重新加入…"},
    {StringId::kNoticeChatSplit, "Your long message was sent in %s parts.", "消息较长，已分成 %s 条发送。"},
    {StringId::kDismiss, "Dismiss", "关闭"},

    {StringId::kYou, "You", "我"},
    {StringId::kTileConnecting, "Connecting", "连接中"},
    {StringId::kTileLive, "Live", "已连接"},
    {StringId::kTileNoVideo, "No video", "无视频"},
    {StringId::kTileReconnecting, "Reconnecting", "重连中"},
    {StringId::kTileFailed, "Failed", "连接失败"},
    {StringId::kTilePaused, "Paused", "已暂停"},
    {StringId::kTileCapped, "Video paused (too many streams)", "视频已暂停（视频流过多）"},
    {StringId::kShowVideo, "Show video", "显示视频"},
    {StringId::kTileReceiveOnly, "Receive only", "仅接收"},
    {StringId::kTileCameraOff, "Camera off", "摄像头已关闭"},
    {StringId::kTileMuted, "Muted", "已静音"},
    {StringId::kUnnamedParticipant, "User %s", "用户 %s"},
    {StringId::kWaitingForOthers, "Waiting for others to join...", "等待其他人加入…"},
    {StringId::kPagePrevious, "Previous page", "上一页"},
    {StringId::kPageNext, "Next page", "下一页"},
    {StringId::kPageOf, "Page %d of %d", "第 %d 页，共 %d 页"},

    {StringId::kQualityTooltip, "Connection quality: click for the last minute", "连接质量：点击查看最近一分钟"},
    {StringId::kQualityTitle, "Connection quality: %s", "连接质量：%s"},
    {StringId::kQualityOwnStream, "Your video (sent)", "你发送的视频"},
    {StringId::kQualityNoData, "No measurements yet", "暂无测量数据"},
    {StringId::kQualityLast60s, "Last 60 seconds", "最近 60 秒"},
    {StringId::kQualityBitrate, "Bitrate", "码率"},
    {StringId::kQualityFps, "Frame rate", "帧率"},
    {StringId::kQualityResolution, "Resolution", "分辨率"},
    {StringId::kQualityLoss, "Packet loss", "丢包率"},
    {StringId::kQualityJitter, "Jitter", "抖动"},
    {StringId::kQualityRtt, "Round trip", "往返时延"},
    {StringId::kQualityLimitation, "Limited by", "受限原因"},
    {StringId::kQualityLimitNone, "nothing", "无"},
    {StringId::kQualityLimitBandwidth, "bandwidth", "带宽"},
    {StringId::kQualityLimitCpu, "CPU", "处理器 (CPU)"},
    {StringId::kQualityLimitOther, "other", "其他"},
    {StringId::kQualityClose, "Close", "关闭"},

    {StringId::kMute, "Mute", "静音"},
    {StringId::kUnmute, "Unmute", "取消静音"},
    {StringId::kCameraOff, "Stop video", "关闭摄像头"},
    {StringId::kCameraOn, "Start video", "开启摄像头"},
    {StringId::kLeave, "Leave", "离开"},
    {StringId::kDevices, "Devices", "设备"},
    {StringId::kCamera, "Camera", "摄像头"},
    {StringId::kMicrophone, "Microphone", "麦克风"},
    {StringId::kNoDevices, "No devices found", "未找到设备"},
    {StringId::kDefaultDevice, "Default", "默认设备"},
    {StringId::kLayoutSpeaker, "Speaker", "发言人"},
    {StringId::kLayoutGrid, "Grid", "宫格"},
    {StringId::kMicLevel, "Your microphone's level", "你的麦克风音量"},
    {StringId::kPreviewStarting, "Starting the camera...", "正在打开摄像头..."},
    {StringId::kPreviewNoCamera, "No camera: others will hear you only.", "没有摄像头：其他人只能听到你的声音。"},
    {StringId::kPreviewFailed, "The camera and microphone could not be opened.", "无法打开摄像头和麦克风。"},
    {StringId::kPreviewDenied, "The browser did not allow the camera and microphone.", "浏览器不允许使用摄像头和麦克风。"},
    {StringId::kPreviewStart, "Check camera and microphone", "检查摄像头和麦克风"},
    {StringId::kChat, "Chat", "聊天"},
    {StringId::kFiles, "Files", "文件"},
    {StringId::kHidePanel, "Hide panel", "隐藏面板"},
    {StringId::kMediaUnavailableTooltip, "Your camera and microphone are not in use.",
     "摄像头和麦克风未在使用。"},

    {StringId::kChatPlaceholder, "Type a message", "输入消息"},
    {StringId::kChatHint, "Enter to send, Shift+Enter for a new line",
     "Enter 发送，Shift+Enter 换行"},
    {StringId::kSend, "Send", "发送"},
    {StringId::kChatPending, "sending", "发送中"},
    {StringId::kChatQueued, "waiting for connection", "等待连接"},
    {StringId::kChatSent, "sent", "已发送"},
    {StringId::kChatNotSent, "not sent (you left that room)", "未发送（你已离开该房间）"},
    {StringId::kChatNotConfirmed, "not confirmed: the server did not echo it, it may not have arrived",
     "未确认：服务器没有回显，可能未送达"},
    {StringId::kSendAgain, "Send again", "重新发送"},
    {StringId::kNoMessages, "No messages yet.", "还没有消息。"},
    {StringId::kNewMessages, "New messages", "有新消息"},
    {StringId::kCopyMessage, "Copy text", "复制文字"},
    {StringId::kChatTooLong, "The message is too long to send.", "消息太长，无法发送。"},

    {StringId::kUploadButton, "Upload a file...", "上传文件…"},
    {StringId::kDropHint, "or drop files anywhere on the page", "或将文件拖放到页面任意位置"},
    {StringId::kUploads, "Uploads", "上传"},
    {StringId::kSharedFiles, "Shared files", "共享的文件"},
    {StringId::kNoFiles, "No files shared yet.", "还没有共享的文件。"},
    {StringId::kUploadQueued, "Waiting", "等待中"},
    {StringId::kUploadDone, "Done", "已完成"},
    {StringId::kUploadCancelled, "Cancelled", "已取消"},
    {StringId::kErrUploadTooLarge, "The file is too large to upload.", "文件太大，无法上传。"},
    {StringId::kErrUploadStalled, "The upload stopped making progress.", "上传长时间没有进展，已停止。"},
    {StringId::kRetryUpload, "Retry", "重试"},
    {StringId::kErrUploadFailed, "Upload failed: %s", "上传失败：%s"},
    {StringId::kCancelUpload, "Cancel", "取消"},
    {StringId::kNotALink, "This address is not a safe link and is shown as text only.",
     "该地址不是安全链接，仅以文字显示。"},
    {StringId::kUploadedBy, "%s · %s", "%s · %s"},

    {StringId::kPhaseIdle, "Not connected", "未连接"},
    {StringId::kPhaseConnecting, "Connecting...", "正在连接…"},
    {StringId::kPhaseJoining, "Joining...", "正在加入…"},
    {StringId::kPhaseInRoom, "Connected", "已连接"},
    {StringId::kPhaseReconnecting, "Reconnecting...", "正在重连…"},
    {StringId::kPhaseRejoining, "Refreshing video...", "正在刷新视频…"},
    {StringId::kPhaseReconnectingIn, "Reconnecting in %d s", "%d 秒后重连"},
    {StringId::kPhaseLeft, "Left the meeting", "已离开会议"},
    {StringId::kPhaseFailed, "Not connected", "未连接"},
    {StringId::kStatusRoom, "Room %s", "房间 %s"},
    {StringId::kStatusParticipants, "%d in the room", "%d 人在房间"},
    {StringId::kStatusServer, "Server", "服务器"},

    {StringId::kEnableSound, "Tap to enable sound", "点击开启声音"},
    {StringId::kKioskReconnecting, "Reconnecting...", "正在重连…"},

    {StringId::kRefusedTitle, "Link refused", "链接已被拒绝"},
    {StringId::kRefusedServer,
     "This link asks the client to connect to a server that this site does not allow:",
     "此链接要求客户端连接到本站点不允许的服务器："},
    {StringId::kRefusedUpload,
     "This link asks the client to send uploaded files to an address that this site does not allow:",
     "此链接要求客户端把上传的文件发送到本站点不允许的地址："},
    {StringId::kRefusedNothingOpened,
     "Nothing was opened: no connection to it, and the camera and microphone were not used.",
     "未建立任何连接，也未使用摄像头和麦克风。"},
    {StringId::kRefusedHintNoConfig,
     "A link may only choose this site's own server and upload address. To use another server, "
     "type its address on the join screen.",
     "链接只能选择本站点自己的服务器和上传地址。如需使用其他服务器，请在加入页面手动输入其地址。"},
    {StringId::kRefusedHintConfig,
     "A link may only choose the servers and upload addresses listed in this site's config.json.",
     "链接只能选择本站点 config.json 中列出的服务器和上传地址。"},
    {StringId::kRefusedContinue, "Continue to the join screen", "前往加入页面"},
    {StringId::kCertificateHint,
     "If this server uses a self-signed certificate, the browser refuses the connection without "
     "saying so. Open this address once, accept the certificate, then retry:",
     "如果该服务器使用自签名证书，浏览器会直接拒绝连接而不提示。请先打开下面的地址并接受证书，然后重试："},
    {StringId::kKioskCertificateHint, "Self-signed certificate? Open %s once in this browser and accept it.",
     "是否为自签名证书？请在此浏览器中打开 %s 并接受证书。"},
    {StringId::kConfigIgnored, "config.json was ignored: %s", "config.json 未被采用：%s"},

    {StringId::kShareScreen, "Share screen", "共享屏幕"},
    {StringId::kStopSharing, "Stop sharing", "停止共享"},
    {StringId::kNoticeScreenShareDenied, "Screen sharing was cancelled or is not allowed.",
     "屏幕共享已取消或不被允许。"},
    {StringId::kNoticeScreenShareFailed, "Screen sharing could not start.", "无法开始屏幕共享。"},
    {StringId::kNoticeScreenShareUnavailable,
     "Screen sharing goes out on your camera and microphone connection, and you have none: "
     "this server cannot add one during the call.",
     "屏幕共享需要通过你的摄像头和麦克风连接发送，而你当前没有该连接：本服务器不支持在通话中新增连接。"},
    {StringId::kTileSharing, "Sharing screen", "正在共享屏幕"},
    {StringId::kTilePinned, "Pinned", "已固定"},
    {StringId::kPin, "Pin", "固定"},
    {StringId::kUnpin, "Unpin", "取消固定"},
    {StringId::kShortcutsTitle, "Keyboard shortcuts", "键盘快捷键"},
    {StringId::kShortcutsHint, "They work whenever no text field has the focus.", "在未输入文字时可用。"},
    {StringId::kShortcutMute, "Mute / unmute the microphone", "麦克风静音 / 取消静音"},
    {StringId::kShortcutCamera, "Stop / start the video", "关闭 / 开启摄像头"},
    {StringId::kShortcutShare, "Share the screen / stop sharing", "共享屏幕 / 停止共享"},
    {StringId::kShortcutLayout, "Grid view / speaker view (the active speaker large)", "宫格视图 / 发言人视图（放大当前发言人）"},
    {StringId::kShortcutChat, "Open / close the chat", "打开 / 关闭聊天"},
    {StringId::kShortcutFiles, "Open / close the files", "打开 / 关闭文件"},
    {StringId::kShortcutPin, "Pin the active speaker / unpin", "固定当前发言人 / 取消固定"},
    {StringId::kShortcutHelp, "Show / hide this help", "显示 / 隐藏本帮助"},
    {StringId::kShortcutClose, "Close menus and this help", "关闭菜单和本帮助"},
    {StringId::kShortcutDoubleClick, "Double-click a tile (or right-click, Pin) to show it large; again to unpin.",
     "双击画面可放大显示，再次双击取消固定；也可在右键菜单中选择固定。"},
    {StringId::kClose, "Close", "关闭"},

    {StringId::kA11yParticipants, "Participants (%d)", "参会者（%d）"},
    {StringId::kA11yChatLog, "Chat history", "聊天记录"},
    {StringId::kA11yQualityOf, "Connection quality: %s", "连接质量：%s"},
    {StringId::kA11yShowVideoOf, "Show video: %s", "显示视频：%s"},
    {StringId::kA11ySpeaking, "speaking", "正在发言"},
    {StringId::kA11yJoined, "%s joined", "%s 加入了会议"},
    {StringId::kA11yLeft, "%s left", "%s 离开了会议"},
    {StringId::kA11yShared, "%s shared %s", "%s 共享了 %s"},
    {StringId::kA11yNewMessages, "%d new messages", "%d 条新消息"},
    {StringId::kA11yMore, "and %d more", "还有 %d 条"},
    {StringId::kA11yUnread, "%d unread", "%d 条未读"},
    {StringId::kA11yLineCut, "… (%d more characters, shown in the chat)", "……（另有 %d 个字符，见聊天窗口）"},
};

static_assert(sizeof(kTable) / sizeof(kTable[0]) == kStringCount,
              "every StringId needs exactly one row in kTable");

}  // namespace

const char* text(Language lang, StringId id) {
  const auto index = static_cast<std::size_t>(id);
  if (index >= kStringCount) return "?";
  const Row& row = kTable[index];
  return lang == Language::kZhCn ? row.zh : row.en;
}

StringId table_id(std::size_t index) {
  return index < kStringCount ? kTable[index].id : StringId::kCount;
}

Language language_from_tag(std::string_view tag) {
  if (tag.size() < 2) return Language::kEnglish;
  const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  if (lower(tag[0]) != 'z' || lower(tag[1]) != 'h') return Language::kEnglish;
  // "zh" alone or followed by a subtag separator; "zhx" is another language.
  if (tag.size() == 2 || tag[2] == '-' || tag[2] == '_') return Language::kZhCn;
  return Language::kEnglish;
}

const char* language_tag(Language lang) { return lang == Language::kZhCn ? "zh-CN" : "en"; }

std::string all_text(Language lang) {
  // The views also draw a few characters that are not in the table: the panel's close
  // button (U+00D7) and the separator of file details (U+00B7).
  std::string out = "\u00D7\u00B7\n";
  for (const Row& row : kTable) {
    out += lang == Language::kZhCn ? row.zh : row.en;
    out += '\n';
  }
  return out;
}

}  // namespace gc::ui
