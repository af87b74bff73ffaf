// The module only declares libFuzzer's driver (include/fuzzer_driver.h); SwiftPM needs one source.
#include "fuzzer_driver.h"
