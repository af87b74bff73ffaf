import Foundation
import FuzzHarness

#if FUZZING
  import CFuzzerDriver
#endif

/// `emocl-fuzz TARGET [libFuzzer options] [corpus dirs or files]`.
///
/// Built with `-sanitize=fuzzer,address -DFUZZING` it hands the remaining arguments to libFuzzer
/// (`LLVMFuzzerRunDriver`), so every libFuzzer option works. The target is also put in
/// `EMOCL_FUZZ_TARGET`, which names it when libFuzzer re-runs the program (`-fork`, `-jobs`) and
/// the first argument is not a target. Built normally it replays the given files and directories
/// and exits with 1 when an invariant fails.
@main
struct FuzzMain {
  static func main() {
    var arguments = CommandLine.arguments
    // `emocl-fuzz --max-len TARGET`: the -max_len `make fuzz` uses (Scripts/fuzz/run.sh).
    if arguments.count == 3, arguments[1] == "--max-len",
      let named = FuzzTarget(rawValue: arguments[2])
    {
      print(named.maxLength)
      exit(0)
    }
    var target: FuzzTarget?
    if arguments.count > 1, let named = FuzzTarget(rawValue: arguments[1]) {
      target = named
      arguments.remove(at: 1)
      setenv("EMOCL_FUZZ_TARGET", named.rawValue, 1)
    } else if let name = ProcessInfo.processInfo.environment["EMOCL_FUZZ_TARGET"] {
      target = FuzzTarget(rawValue: name)
    }
    guard let target else {
      let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
      FileHandle.standardError.write(Data("usage: emocl-fuzz \(names) [inputs...]\n".utf8))
      exit(2)
    }
    #if FUZZING
      selectedTarget = target
      var argc = Int32(arguments.count)
      var cArguments = arguments.map { strdup($0) } + [nil]
      let status = cArguments.withUnsafeMutableBufferPointer { buffer in
        var argv = buffer.baseAddress
        return LLVMFuzzerRunDriver(&argc, &argv, testOneInput)
      }
      exit(status)
    #else
      exit(FuzzReplay.run(target, paths: Array(arguments.dropFirst())) == 0 ? 0 : 1)
    #endif
  }
}

#if FUZZING
  /// Set once before libFuzzer starts, then only read (libFuzzer runs inputs on one thread).
  nonisolated(unsafe) var selectedTarget = FuzzTarget.rfc3339

  /// libFuzzer's callback: an invariant failure becomes a crash, so the input is saved.
  func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : [UInt8](UnsafeBufferPointer(start: data, count: size))
    do {
      try selectedTarget.run(bytes)
    } catch {
      fatalError("\(selectedTarget.rawValue): \(error)")
    }
    return 0
  }
#endif
