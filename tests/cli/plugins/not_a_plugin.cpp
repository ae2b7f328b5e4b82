// A valid shared library that is not a nasctl plugin (it exports none of the
// nasctl_plugin_* symbols), named like one so the loader picks it up.
extern "C" __attribute__((visibility("default"))) int nasctl_test_answer() { return 42; }
