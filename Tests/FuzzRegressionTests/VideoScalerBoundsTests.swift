import CVideo
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// libswscale's SIMD loops read and write a few bytes past the rows they are given, so the
/// video shim never hands it the caller's buffers (the writer side of finding 5 in
/// docs/fuzzing.md; the reader side is `FixedFuzzFindingsTests`).
@Suite struct VideoScalerBoundsTests {
  /// The writer converts the caller's RGB frame to YUV: with the frame ending right before an
  /// unreadable page, the old writer's `sws_scale` read past its end and the process died
  /// (SIGSEGV; measured in C: up to 32 bytes past the end of 640×360, 10×10 and 1282×722
  /// frames). The exit test runs the writes in a child process, so a fault fails this test
  /// instead of the whole run.
  @Test func writerNeverReadsPastTheFrame() async {
    await #expect(processExitsWith: .success) {
      for (width, height) in [(640, 360), (10, 10), (1282, 722)] {
        let bytes = width * height * 3
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let span = (bytes + page - 1) / page * page
        guard
          let base = mmap(
            nil, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
          base != MAP_FAILED, mprotect(base + span, page, PROT_NONE) == 0
        else { exit(2) }
        // The frame's last byte is the last readable one.
        let frame = (base + span - bytes).assumingMemoryBound(to: UInt8.self)
        frame.initialize(repeating: 100, count: bytes)
        let path = FileManager.default.temporaryDirectory
          .appendingPathComponent("emocl-writer-bounds-\(getpid()).mp4").path
        defer { unlink(path) }
        var message = [CChar](repeating: 0, count: Int(CVIDEO_MESSAGE_SIZE))
        var codec = [CChar](repeating: 0, count: 64)
        var writer: OpaquePointer?
        guard
          cvideo_writer_open(path, Int32(width), Int32(height), 25, &writer, &codec, &message)
            == CVIDEO_OK
        else { exit(3) }
        guard cvideo_writer_write(writer, frame, 0, &message) == CVIDEO_OK else { exit(4) }
        guard cvideo_writer_close(writer, &message) == CVIDEO_OK else { exit(5) }
        munmap(base, span + page)
      }
    }
  }
}
