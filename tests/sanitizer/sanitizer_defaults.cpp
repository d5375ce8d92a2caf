// Default options of the sanitizer tree (WPED_SANITIZE=ON), linked into every executable of it.
// Baked in rather than set in the environment because the integration harness starts wped and
// wpectl with a minimal environment; ASAN_OPTIONS/UBSAN_OPTIONS/LSAN_OPTIONS, when set, still
// override them (tests/sanitizer/run_checked.py adds log_path there to collect reports).
//
// Any report is fatal: ASan and UBSan stop the process with exit code 1 at the first one (UBSan
// is also compiled with -fno-sanitize-recover), and LeakSanitizer checks at every normal exit.

extern "C" {

const char* __asan_default_options() {
  return "halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:"
         "check_initialization_order=1:strict_init_order=1:detect_odr_violation=2";
}

const char* __ubsan_default_options() { return "halt_on_error=1:print_stacktrace=1"; }

// LeakSanitizer suppressions: only allocations that a library keeps for the whole process on
// purpose and that no exit path frees. Each names the library that owns it and why.
const char* __lsan_default_suppressions() {
  return "";
}

}  // extern "C"
