#pragma once
// Helpers shared by the auth unit tests: a logger that records every line (so tests can
// assert no secret was logged) and canned token endpoint bodies.

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace wpe::testing {

class RecordingChannel final : public Poco::Channel {
 public:
  void log(const Poco::Message& msg) override {
    std::lock_guard lock(mutex_);
    lines_.push_back(msg.getText());
  }
  std::string all() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

// A uniquely named logger writing into `channel` (Poco loggers live in a global registry).
inline Poco::Logger& recordingLogger(Poco::AutoPtr<RecordingChannel>& channel) {
  static std::atomic<int> counter{0};
  channel = new RecordingChannel;  // AutoPtr takes ownership
  return Poco::Logger::create("wped.test.auth." + std::to_string(counter++), channel,
                              Poco::Message::PRIO_DEBUG);
}

inline std::string tokenBody(const std::string& access, int expiresIn,
                             const std::string& refresh = "") {
  std::string body = R"({"access_token":")" + access + R"(","token_type":"Bearer","expires_in":)" +
                     std::to_string(expiresIn);
  if (!refresh.empty()) body += R"(,"refresh_token":")" + refresh + R"(")";
  return body + "}";
}

}  // namespace wpe::testing
