#include "bench_options.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace wpe::bench {

namespace {

// Bounds that keep one invocation finite: at most 3 runs of 5 min per client count.
constexpr double kMaxSeconds = 300;
constexpr int kMaxClients = 1024;

Result<double> parseNumber(const std::string& flag, const std::string& text, double low,
                           double high) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value) || value < low || value > high) {
    std::ostringstream message;
    message << flag << ": expected a number from " << low << " to " << high << ", got '" << text
            << "'";
    return Error(ErrorCode::BadRequest, message.str());
  }
  return value;
}

Result<std::vector<int>> parseClients(const std::string& text) {
  std::vector<int> clients;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    auto n = parseNumber("--clients", item, 1, kMaxClients);
    if (!n) return n.error();
    if (*n != std::floor(*n)) return Error(ErrorCode::BadRequest, "--clients: whole numbers");
    clients.push_back(static_cast<int>(*n));
  }
  if (clients.empty()) return Error(ErrorCode::BadRequest, "--clients: give e.g. 1,8,32");
  return clients;
}

std::chrono::milliseconds toMillis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

}  // namespace

const char* BenchOptions::usage() {
  return "usage: wped-bench-http (--socket PATH | --self-test) [--path PATH]\n"
         "                       [--clients 1,8,32] [--seconds 5] [--warmup 1] [--baseline]\n"
         "                       [--max-requests N] [--timeout-ms MS] [--json]\n"
         "\n"
         "Load generator for HTTP/1.1 on a Unix socket: for each client count, that many\n"
         "keep-alive connections (one thread each) send GET PATH back to back; prints requests,\n"
         "requests/s and latency percentiles. --baseline also measures an in-process raw\n"
         "Unix-socket exchange of the same sizes and prints HTTP req/s / raw req/s.\n"
         "--self-test benchmarks an in-process stub HTTP server instead of --socket.\n"
         "wped-bench-http --serve-stub serves that stub server in this process instead: it\n"
         "prints the socket's path and serves until its stdin closes (a server in a process of\n"
         "its own, as wped is, for comparison).\n"
         "Exit: 0 ok, 1 a request failed (non-2xx, closed connection, timeout), 2 usage.\n";
}

Result<BenchOptions> BenchOptions::parse(int argc, char** argv) {
  BenchOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> Result<std::string> {
      if (i + 1 >= argc) return Error(ErrorCode::BadRequest, flag + " needs a value");
      return std::string(argv[++i]);
    };
    if (flag == "--json") {
      options.json = true;
    } else if (flag == "--baseline") {
      options.baseline = true;
    } else if (flag == "--self-test") {
      options.selfTest = true;
    } else if (flag == "--serve-stub") {
      options.serveStub = true;
    } else if (flag == "--help" || flag == "-h") {
      options.help = true;
    } else if (flag == "--socket" || flag == "--path" || flag == "--clients" ||
               flag == "--seconds" || flag == "--warmup" || flag == "--max-requests" ||
               flag == "--timeout-ms") {
      auto text = value();
      if (!text) return text.error();
      if (flag == "--socket") {
        options.socket = *text;
      } else if (flag == "--path") {
        if (text->empty() || (*text)[0] != '/' ||
            text->find_first_of(" \r\n") != std::string::npos) {
          return Error(ErrorCode::BadRequest, "--path: an absolute request path, e.g. /v1/status");
        }
        options.path = *text;
      } else if (flag == "--clients") {
        auto clients = parseClients(*text);
        if (!clients) return clients.error();
        options.clients = *clients;
      } else if (flag == "--max-requests") {
        auto n = parseNumber(flag, *text, 1, 100'000'000);
        if (!n) return n.error();
        options.maxRequests = static_cast<std::size_t>(*n);
      } else if (flag == "--timeout-ms") {
        auto n = parseNumber(flag, *text, 1, 600'000);
        if (!n) return n.error();
        options.timeout = std::chrono::milliseconds(static_cast<long long>(*n));
      } else {
        auto n = parseNumber(flag, *text, flag == "--seconds" ? 0.01 : 0, kMaxSeconds);
        if (!n) return n.error();
        (flag == "--seconds" ? options.window : options.warmup) = toMillis(*n);
      }
    } else {
      return Error(ErrorCode::BadRequest, "unknown argument '" + flag + "'");
    }
  }
  if (options.serveStub) {
    if (!options.socket.empty() || options.selfTest) {
      return Error(ErrorCode::BadRequest, "--serve-stub takes no --socket or --self-test");
    }
    return options;
  }
  if (!options.help && options.socket.empty() == !options.selfTest) {
    return Error(ErrorCode::BadRequest, "give exactly one of --socket PATH and --self-test");
  }
  return options;
}

}  // namespace wpe::bench
