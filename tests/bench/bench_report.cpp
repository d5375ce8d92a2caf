#include "bench_report.h"

#include <cstdio>
#include <iomanip>
#include <sstream>
#include <utility>

namespace wpe::bench {

namespace {

double micros(std::chrono::nanoseconds ns) { return static_cast<double>(ns.count()) / 1000.0; }

std::string jsonString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string fixed(double value, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

std::string summaryJson(const LatencySummary& s) {
  return "{\"requests\":" + std::to_string(s.requests) + ",\"seconds\":" + fixed(s.seconds, 3) +
         ",\"requests_per_s\":" + fixed(s.requestsPerSecond(), 1) +
         ",\"p50_us\":" + fixed(micros(s.p50), 2) + ",\"p90_us\":" + fixed(micros(s.p90), 2) +
         ",\"p99_us\":" + fixed(micros(s.p99), 2) + ",\"max_us\":" + fixed(micros(s.max), 2) + "}";
}

void printSummary(std::ostream& out, int clients, const char* kind, const LatencySummary& s) {
  out << std::setw(7) << clients << "  " << std::left << std::setw(5) << kind << std::right
      << std::setw(11) << s.requests << std::setw(11) << fixed(s.requestsPerSecond(), 1)
      << std::setw(10) << fixed(micros(s.p50), 2) << std::setw(10) << fixed(micros(s.p90), 2)
      << std::setw(10) << fixed(micros(s.p99), 2) << std::setw(11) << fixed(micros(s.max), 2);
}

}  // namespace

double BenchRow::ratio() const {
  if (!raw || raw->requestsPerSecond() <= 0) return 0;
  return http.requestsPerSecond() / raw->requestsPerSecond();
}

BenchReport::BenchReport(const BenchOptions& options, std::string target, std::size_t requestBytes,
                         std::size_t responseBytes, MachineInfo machine)
    : options_(options),
      target_(std::move(target)),
      requestBytes_(requestBytes),
      responseBytes_(responseBytes),
      machine_(std::move(machine)) {}

void BenchReport::printTableHeader(std::ostream& out) const {
  out << "wped-bench-http: GET " << options_.path << " on " << target_ << "\n"
      << "  request " << requestBytes_ << " B, response " << responseBytes_ << " B; "
      << fixed(options_.window.count() / 1000.0, 2) << " s per run after "
      << fixed(options_.warmup.count() / 1000.0, 2) << " s warm-up; keep-alive, one thread a "
      << "connection\n"
      << "  machine: " << machine_.cpus << " CPUs, " << machine_.cpuModel << "\n";
  if (options_.baseline) {
    out << "  raw = in-process Unix-socket exchange of the same sizes (the machine's limit)\n";
  }
  out << "\n"
      << "clients  run     requests      req/s    p50 µs    p90 µs    p99 µs     max µs"
      << (options_.baseline ? "  http/raw" : "") << "\n";
}

void BenchReport::printTableRow(std::ostream& out, const BenchRow& row) const {
  printSummary(out, row.clients, "http", row.http);
  if (row.raw) out << std::setw(10) << fixed(row.ratio(), 2);
  out << "\n";
  if (row.raw) {
    printSummary(out, row.clients, "raw", *row.raw);
    out << "\n";
  }
  out.flush();
}

void BenchReport::printJson(std::ostream& out, const std::vector<BenchRow>& rows) const {
  out << "{\"tool\":\"wped-bench-http\",\"target\":" << jsonString(target_)
      << ",\"path\":" << jsonString(options_.path)
      << ",\"seconds\":" << fixed(options_.window.count() / 1000.0, 3)
      << ",\"warmup_seconds\":" << fixed(options_.warmup.count() / 1000.0, 3)
      << ",\"request_bytes\":" << requestBytes_ << ",\"response_bytes\":" << responseBytes_
      << ",\"machine\":{\"nproc\":" << machine_.cpus
      << ",\"cpu_model\":" << jsonString(machine_.cpuModel) << "},\"runs\":[";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const BenchRow& row = rows[i];
    out << (i ? "," : "") << "{\"clients\":" << row.clients
        << ",\"http\":" << summaryJson(row.http);
    if (row.raw) {
      out << ",\"raw\":" << summaryJson(*row.raw) << ",\"ratio\":" << fixed(row.ratio(), 4);
    }
    out << "}";
  }
  out << "]}\n";
}

}  // namespace wpe::bench
