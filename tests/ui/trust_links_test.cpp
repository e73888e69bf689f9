// Issue 11, item 2 in the UI: a shared file links only to a checked http(s) target, shows
// that target's host next to its name, and a click opens the resolved URL; links to the
// client's own page (a fileUrl or a chat line carrying new settings) are never clickable.
#include <gtest/gtest.h>

#include "core/links.hpp"
#include "harness.hpp"

namespace gc::ui::test {
namespace {

constexpr const char* kPage = "http://127.0.0.1:8080/";
constexpr const char* kKiosk = "#server=ws://127.0.0.1:9/groupcall&room=1&user=8&kiosk=1&publish=1";

// The page URL as the web client sets it at start-up; restored afterwards.
class ScopedPage {
 public:
  explicit ScopedPage(const char* page) : saved_(core::link_base()) { core::set_link_base({page, ""}); }
  ~ScopedPage() { core::set_link_base(saved_); }
  ScopedPage(const ScopedPage&) = delete;
  ScopedPage& operator=(const ScopedPage&) = delete;

 private:
  core::LinkBase saved_;
};

core::SharedFile file(std::uint64_t seq, const std::string& name, const std::string& url) {
  core::SharedFile f;
  f.seq = seq;
  f.uploader = 100;
  f.name = name;
  f.url = url;
  f.linkable = core::is_linkable_url(url);  // what the Session stores
  return f;
}

void open_files(Harness& h) {
  h.frames_n(2);
  ASSERT_TRUE(h.click_region("panel/files_tab"));
  h.frames_n(2);
}

TEST(UiTrustLinks, FileEntryShowsItsHostNextToTheName) {
  ScopedPage page(kPage);
  Harness h;
  h.vm = room_with(1);
  h.vm.files.push_back(file(1, "报告.pdf", "/files/a.pdf"));
  h.vm.files.push_back(file(2, "b.pdf", "https://files.example.com:8443/b.pdf"));
  open_files(h);

  for (int seq : {1, 2}) {
    const std::string id = "file/" + std::to_string(seq);
    const Region* name = h.ui.region(id);
    const Region* host = h.ui.region(id + "/host");
    ASSERT_NE(name, nullptr) << id;
    ASSERT_NE(host, nullptr) << id;
    EXPECT_GT(host->w, 0.0f);
    EXPECT_GE(host->x, name->x + name->w) << id << ": the host follows the name";
    EXPECT_LT(host->y, name->y + name->h) << id << ": on the same line";
    EXPECT_GT(host->y + host->h, name->y) << id;
  }
  // A click opens the resolved, absolute URL (the client adds noopener).
  ASSERT_TRUE(h.click_region("file/1"));
  ASSERT_TRUE(h.click_region("file/2"));
  EXPECT_EQ(h.all.urls, (std::vector<std::string>{"http://127.0.0.1:8080/files/a.pdf",
                                                  "https://files.example.com:8443/b.pdf"}));
}

TEST(UiTrustLinks, NonLinkableEntryIsNotClickable) {
  ScopedPage page(kPage);
  Harness h;
  h.vm = room_with(1);
  h.vm.files.push_back(file(1, "a.pdf", kKiosk));
  h.vm.files.push_back(file(2, "b.pdf", std::string("./") + kKiosk));
  h.vm.files.push_back(file(3, "c.pdf", "?x=1"));
  h.vm.files.push_back(file(4, "d.pdf", std::string(kPage) + kKiosk));
  h.vm.files.push_back(file(5, "e.pdf", "javascript:alert(1)"));
  // Even if a view model said otherwise, the UI checks the target itself.
  core::SharedFile stale = file(6, "f.pdf", std::string("/") + kKiosk);
  stale.linkable = true;
  h.vm.files.push_back(stale);
  open_files(h);

  for (int seq = 1; seq <= 6; ++seq) {
    const std::string id = "file/" + std::to_string(seq);
    if (seq != 6) {
      EXPECT_FALSE(h.vm.files[static_cast<std::size_t>(seq - 1)].linkable) << id;
    }
    ASSERT_NE(h.ui.region(id), nullptr) << id << ": shown";
    EXPECT_EQ(h.ui.region(id + "/host"), nullptr) << id << ": no host for a non-link";
    ASSERT_TRUE(h.click_region(id));
  }
  EXPECT_TRUE(h.all.urls.empty());
}

TEST(UiTrustLinks, ChatLinkToTheClientsOwnPageIsNotClickable) {
  ScopedPage page(kPage);
  Harness h;
  h.vm = room_with(1);
  h.vm.chat.push_back(chat_line(9, 100, std::string("join: http://127.0.0.1:8080/") + kKiosk + " or HTTPS://Docs.Example.com/#x", h.now));
  h.frames_n(3);
  ASSERT_NE(h.ui.region("chat/link/9/0"), nullptr);
  EXPECT_EQ(h.ui.region("chat/link/9/1"), nullptr) << "only the other site is a link";
  ASSERT_TRUE(h.click_region("chat/link/9/0"));
  EXPECT_EQ(h.all.urls, (std::vector<std::string>{"https://docs.example.com/#x"}));
}

}  // namespace
}  // namespace gc::ui::test
