#pragma once
// wped's entry point: process hygiene, logging to stderr, option parsing, then
// WpedApplication. Returns the process exit code (see wped_application.h).

namespace wpe {

int runWped(int argc, char** argv);

}  // namespace wpe
