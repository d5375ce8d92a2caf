#pragma once
// Clang thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html).
//
// The lock a member needs is written on the member (GUARDED_BY) and on the functions that touch
// it (REQUIRES, EXCLUDES), instead of "called with mutex_ held" comments. The clang tree
// (WPED_SANITIZE, -Wthread-safety -Werror=thread-safety) checks them; tests/thread_safety
// proves that an unguarded access still fails that build. Other compilers ignore them.
// Use them with wpe::Mutex (common/mutex.h): libstdc++'s std::mutex carries no annotations.

#if defined(__clang__)
#define WPE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define WPE_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) WPE_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY WPE_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) WPE_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) WPE_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACQUIRED_BEFORE(...) WPE_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) WPE_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define REQUIRES(...) WPE_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) WPE_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) WPE_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) WPE_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define EXCLUDES(...) WPE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) WPE_THREAD_ANNOTATION(assert_capability(x))
#define RETURN_CAPABILITY(x) WPE_THREAD_ANNOTATION(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS WPE_THREAD_ANNOTATION(no_thread_safety_analysis)
