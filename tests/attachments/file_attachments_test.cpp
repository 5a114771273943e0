// aui::attachments: text, image and composite adapters on real files, alone and through the
// composer (a failed add leaves the composer as it was).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aui/attachments/file_attachments.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;
namespace fs = std::filesystem;

// The smallest valid images of each kind (headers are what matters to the adapter).
const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);
const std::string kJpeg("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11);
const std::string kGif("GIF89a\x01\0\x01\0\0\0\0;", 13);
const std::string kWebp("RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0", 20);

class Files : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("aui-attach-" + generate_id());
    fs::create_directories(dir);
  }
  void TearDown() override {
    thread.reset();
    fs::remove_all(dir);
  }
  std::string write(const std::string& name, const std::string& bytes) {
    const auto p = dir / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  void make(std::shared_ptr<AttachmentAdapter> adapter) {
    ThreadRuntimeOptions o;
    o.chat_model = [](const ChatModelRunOptions&) { return T("seen"); };
    o.dispatcher = d->dispatcher();
    o.executor = d->executor();
    o.adapters.attachments = std::move(adapter);
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
  std::string message_of(const Completion& c) {
    try {
      c.rethrow_if_failed();
    } catch (const std::exception& e) {
      return e.what();
    }
    return {};
  }

  fs::path dir;
  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  std::unique_ptr<ThreadRuntime> thread;
};

TEST_F(Files, ContentTypeComesFromTheName) {
  EXPECT_EQ(attachments::host_file_from_path("/x/notes.MD").content_type, "text/markdown");
  EXPECT_EQ(attachments::host_file_from_path("/x/a.cpp").name, "a.cpp");
  EXPECT_EQ(attachments::host_file_from_path("/x/photo.JPG").content_type, "image/jpeg");
  EXPECT_EQ(attachments::host_file_from_path("/x/blob.bin").content_type,
            "application/octet-stream");
}

TEST_F(Files, ImageTypeComesFromTheBytes) {
  EXPECT_EQ(attachments::sniff_image_type(kPng), "image/png");
  EXPECT_EQ(attachments::sniff_image_type(kJpeg), "image/jpeg");
  EXPECT_EQ(attachments::sniff_image_type(kGif), "image/gif");
  EXPECT_EQ(attachments::sniff_image_type(kWebp), "image/webp");
  EXPECT_EQ(attachments::sniff_image_type("hello"), "");
  EXPECT_EQ(attachments::sniff_image_type("RIFF\0\0\0\0WAVE"), "");
}

TEST_F(Files, ATextFileBecomesATextPartCarryingItsName) {
  make(attachments::make_default_attachment_adapter());
  auto& c = thread->composer();
  auto added =
      c.add_attachment(attachments::host_file_from_path(write("main.cpp", "int main() {}\n")));
  d->settle();
  ASSERT_TRUE(added.succeeded_ok()) << message_of(added);
  ASSERT_EQ(c.attachments().size(), 1u);
  EXPECT_EQ(c.attachments()[0].status.type, AttachmentStatusType::RequiresAction);
  EXPECT_EQ(c.attachments()[0].type, "document");
  c.set_text("review this");
  c.send();
  d->settle();
  ASSERT_EQ(thread->messages().size(), 2u);
  const auto& user = *thread->messages()[0];
  ASSERT_EQ(user.attachments.size(), 1u);
  const auto& att = user.attachments[0];
  EXPECT_EQ(att.status.type, AttachmentStatusType::Complete);
  EXPECT_EQ(att.name, "main.cpp");
  EXPECT_FALSE(att.file.has_value());
  ASSERT_EQ(att.content.size(), 1u);
  const auto* part = att.content[0].get_if<TextPart>();
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->text.str(), "<attachment name=\"main.cpp\">\nint main() {}\n</attachment>");
  EXPECT_TRUE(c.attachments().empty());
}

TEST_F(Files, AnImageBecomesADataUrlTypedByItsBytes) {
  attachments::ImageAttachmentAdapter images;
  // Named .jpg, but the bytes are a PNG: the data URL says PNG.
  auto pending = images.add(attachments::host_file_from_path(write("photo.jpg", kPng)), {});
  EXPECT_EQ(pending.type, "image");
  EXPECT_EQ(pending.content_type, "image/png");
  auto done = images.send(pending);
  ASSERT_EQ(done.content.size(), 1u);
  const auto* image = done.content[0].get_if<ImagePart>();
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->image.rfind("data:image/png;base64,iVBORw0KGgo", 0), 0u) << image->image;
  EXPECT_EQ(image->filename, "photo.jpg");
  for (const auto& [name, bytes, type] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"a.jpeg", kJpeg, "image/jpeg"},
           {"b.gif", kGif, "image/gif"},
           {"c.webp", kWebp, "image/webp"}}) {
    auto p = images.add(attachments::host_file_from_path(write(name, bytes)), {});
    EXPECT_EQ(images.send(p).content.size(), 1u);
    EXPECT_EQ(p.content_type, type) << name;
  }
}

TEST_F(Files, Base64PaddingIsRight) {
  attachments::ImageAttachmentAdapter images;
  // The GIF header is 13 bytes: 13 = 4*3 + 1, so the URL ends with "==".
  auto done = images.send(images.add(attachments::host_file_from_path(write("g.gif", kGif)), {}));
  const auto& url = done.content[0].as<ImagePart>().image;
  EXPECT_EQ(url, "data:image/gif;base64,R0lGODlhAQABAAAAAA==");  // as python3 base64 encodes it
}

TEST_F(Files, AMislabelledImageIsRefusedAndTheComposerStaysAsItWas) {
  make(attachments::make_default_attachment_adapter());
  auto& c = thread->composer();
  c.set_text("draft");
  std::vector<AttachmentAddError> events;
  auto sub = c.on_attachment_add_error([&](const AttachmentAddError& e) { events.push_back(e); });
  auto added =
      c.add_attachment(attachments::host_file_from_path(write("fake.png", "just some text")));
  d->settle();
  ASSERT_TRUE(added.failed());
  EXPECT_NE(message_of(added).find("is not a PNG, JPEG, GIF or WebP image"), std::string::npos)
      << message_of(added);
  EXPECT_TRUE(c.attachments().empty());
  EXPECT_EQ(c.text(), "draft");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reason, "adapter-error");
}

TEST_F(Files, ABinaryLabelledAsTextIsRefused) {
  make(attachments::make_default_attachment_adapter());
  auto& c = thread->composer();
  auto binary = c.add_attachment(
      attachments::host_file_from_path(write("data.txt", std::string("ab\0\x01\xff", 5))));
  auto image = c.add_attachment(attachments::host_file_from_path(write("pic.txt", kPng)));
  d->settle();
  EXPECT_NE(message_of(binary).find("not UTF-8 text"), std::string::npos) << message_of(binary);
  EXPECT_NE(message_of(image).find("holds an image"), std::string::npos) << message_of(image);
  EXPECT_TRUE(c.attachments().empty());
}

TEST_F(Files, MissingUnreadableAndTooLargeFilesGetClearErrors) {
  make(std::make_shared<attachments::CompositeAttachmentAdapter>(
      std::vector<std::shared_ptr<AttachmentAdapter>>{
          std::make_shared<attachments::TextAttachmentAdapter>(16),
          std::make_shared<attachments::ImageAttachmentAdapter>(16)}));
  auto& c = thread->composer();
  auto missing = c.add_attachment(attachments::host_file_from_path((dir / "nope.txt").string()));
  fs::create_directories(dir / "folder.txt");
  auto folder = c.add_attachment(attachments::host_file_from_path((dir / "folder.txt").string()));
  auto big =
      c.add_attachment(attachments::host_file_from_path(write("big.txt", std::string(17, 'x'))));
  auto big_image = c.add_attachment(attachments::host_file_from_path(write("big.png", kPng)));
  auto exact =
      c.add_attachment(attachments::host_file_from_path(write("exact.txt", std::string(16, 'x'))));
  d->settle();
  EXPECT_NE(message_of(missing).find("no such file"), std::string::npos) << message_of(missing);
  EXPECT_NE(message_of(folder).find("is a directory"), std::string::npos) << message_of(folder);
  EXPECT_NE(message_of(big).find("17 bytes; the limit is 16 bytes"), std::string::npos)
      << message_of(big);
  EXPECT_NE(message_of(big_image).find("the limit is 16 bytes"), std::string::npos)
      << message_of(big_image);
  EXPECT_TRUE(exact.succeeded_ok()) << message_of(exact);
  ASSERT_EQ(c.attachments().size(), 1u);
  EXPECT_EQ(c.attachments()[0].name, "exact.txt");
}

TEST_F(Files, TheCompositeRoutesByAccept) {
  auto composite = attachments::make_default_attachment_adapter();
  EXPECT_TRUE(attachment_accepted(composite->accept(), "x.png", "image/png"));
  EXPECT_TRUE(attachment_accepted(composite->accept(), "x.md", "text/markdown"));
  EXPECT_FALSE(attachment_accepted(composite->accept(), "x.bin", "application/octet-stream"));
  auto text = composite->add(attachments::host_file_from_path(write("n.md", "# hi")), {});
  auto image = composite->add(attachments::host_file_from_path(write("i.png", kPng)), {});
  EXPECT_TRUE(composite->send(text).content.at(0).is<TextPart>());
  EXPECT_TRUE(composite->send(image).content.at(0).is<ImagePart>());
  try {
    composite->add(attachments::host_file_from_path(write("x.bin", "??")), {});
    ADD_FAILURE() << "expected NotAccepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::NotAccepted);
  }
}

TEST_F(Files, AWildcardAdapterMayOnlyComeLast) {
  class Anything final : public AttachmentAdapter {
   public:
    std::string accept() const override { return "*"; }
    Attachment add(const HostFile&, const std::function<void(const Attachment&)>&) override {
      return {};
    }
    Attachment send(const Attachment& a) override { return a; }
    void remove(const Attachment&) override {}
  };
  using List = std::vector<std::shared_ptr<AttachmentAdapter>>;
  EXPECT_THROW(
      attachments::CompositeAttachmentAdapter(List{
          std::make_shared<Anything>(), std::make_shared<attachments::TextAttachmentAdapter>()}),
      Error);
  attachments::CompositeAttachmentAdapter last(
      List{std::make_shared<attachments::TextAttachmentAdapter>(), std::make_shared<Anything>()});
  EXPECT_EQ(last.accept(), "*");
}

TEST_F(Files, TheComposerRefusesWhatTheAdapterDoesNotAccept) {
  make(attachments::make_default_attachment_adapter());
  auto added =
      thread->composer().add_attachment(attachments::host_file_from_path(write("a.bin", "x")));
  d->settle();
  EXPECT_EQ(failure_kind(added), ErrorKind::NotAccepted);
}

}  // namespace
