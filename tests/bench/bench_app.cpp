#include "bench_app.h"

#include <iostream>
#include <memory>
#include <vector>

#include "baseline_server.h"
#include "bench_report.h"
#include "http_round_trip.h"
#include "load_runner.h"
#include "machine_info.h"
#include "raw_round_trip.h"
#include "stub_http_server.h"

namespace wpe::bench {

namespace {

int fail(const std::string& context, const Error& error) {
  std::cerr << "wped-bench-http: " << context << ": " << error.message << "\n";
  return 1;
}

}  // namespace

int BenchApp::run() {
  std::unique_ptr<StubHttpServer> stub;
  std::string socket = options_.socket;
  std::string target = socket;
  if (options_.selfTest) {
    stub = std::make_unique<StubHttpServer>();
    if (auto s = stub->start(); !s) return fail("self-test server", s.error());
    socket = stub->path();
    target = "the in-process stub server (--self-test)";
  }

  // One request first: it fails fast with the server's answer when the daemon is not ready
  // (e.g. 401 login_required), and tells the baseline how many bytes go each way.
  auto probe = HttpRoundTrip::connect(socket, options_.path, options_.timeout);
  if (!probe) return fail(socket, probe.error());
  if (auto s = probe.value()->run(); !s) return fail("GET " + options_.path, s.error());
  std::size_t requestBytes = probe.value()->request().size();
  std::size_t responseBytes = probe.value()->lastResponseBytes();
  probe.value().reset();

  std::unique_ptr<BaselineServer> baseline;
  if (options_.baseline) {
    baseline = std::make_unique<BaselineServer>(requestBytes, responseBytes);
    if (auto s = baseline->start(); !s) return fail("baseline server", s.error());
  }

  RoundTripFactory http = [&]() -> Result<std::unique_ptr<RoundTrip>> {
    auto trip = HttpRoundTrip::connect(socket, options_.path, options_.timeout);
    if (!trip) return trip.error();
    return std::unique_ptr<RoundTrip>(std::move(trip.value()));
  };
  RoundTripFactory raw = [&]() -> Result<std::unique_ptr<RoundTrip>> {
    auto trip =
        RawRoundTrip::connect(baseline->path(), requestBytes, responseBytes, options_.timeout);
    if (!trip) return trip.error();
    return std::unique_ptr<RoundTrip>(std::move(trip.value()));
  };

  BenchReport report(options_, target, requestBytes, responseBytes, MachineInfo::read());
  if (!options_.json) report.printTableHeader(std::cout);
  LoadRunner runner(LoadSettings{options_.warmup, options_.window, options_.maxRequests});
  std::vector<BenchRow> rows;
  for (int clients : options_.clients) {
    std::string context = std::to_string(clients) + (clients == 1 ? " client" : " clients");
    BenchRow row;
    row.clients = clients;
    auto httpRun = runner.run(clients, http);
    if (!httpRun) return fail(context + ", http", httpRun.error());
    row.http = *httpRun;
    if (baseline) {
      auto rawRun = runner.run(clients, raw);
      if (!rawRun) return fail(context + ", raw baseline", rawRun.error());
      row.raw = *rawRun;
    }
    if (!options_.json) report.printTableRow(std::cout, row);
    rows.push_back(row);
  }
  if (options_.json) report.printJson(std::cout, rows);
  return 0;
}

}  // namespace wpe::bench
