import CVideo
import Foundation
import Service
import Testing

/// The bugs fuzzing found, pinned at the API they were fixed in (their inputs are also replayed
/// from `Tests/FuzzCorpus/*/regression-*` by `FuzzCorpusTests`).
@Suite struct FixedFuzzFindingsTests {
  /// `format` computed `micros - seconds * 1_000_000`, which overflowed (a trap) near Int64.min.
  @Test func formatTakesEveryInt64() {
    #expect(RFC3339.format(micros: .min).hasSuffix("Z"))
    #expect(RFC3339.format(micros: .max).hasSuffix("Z"))
    #expect(RFC3339.format(micros: -1) == "1969-12-31T23:59:59.999999Z")
  }

  /// An offset moved 0000-01-01 / 9999-12-31 outside four-digit years: `parse` accepted an
  /// instant that `format` writes as `00-1-12-31T23:59:00Z`, which parses to nothing.
  @Test(arguments: ["0000-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"])
  func parseRefusesInstantsFormatCannotWrite(_ text: String) {
    #expect(RFC3339.parse(text) == nil)
  }

  @Test func parseKeepsTheEdgesOfTheRange() {
    #expect(RFC3339.parse("0000-01-01T00:00:00Z") == RFC3339.formattableRange.lowerBound)
    #expect(RFC3339.parse("9999-12-31T23:59:59.999999Z") == RFC3339.formattableRange.upperBound - 1)
  }

  /// Ports 0 and above 65535 were accepted and only failed when connecting.
  @Test(arguments: ["postgres://u:pw@host:0/db", "postgres://u:pw@host:99999/db"])
  func databaseURLRefusesPortsOutOfRange(_ text: String) {
    #expect(throws: ConfigurationError.self) { try DatabaseURL.parse(text) }
  }

  @Test func databaseURLKeepsValidPorts() throws {
    #expect(
      try DatabaseURL.parse("postgres://u@h:65535/db").description == "postgres://u@h:65535/db")
    #expect(try DatabaseURL.parse("postgres://u@h/db").description == "postgres://u@h:5432/db")
  }

  /// A WebM whose header says 1×160 while its VP9 frames are 160×96: libswscale, scaling each
  /// frame to the header's size, wrote up to 13 bytes past the end of a 1-pixel-wide grey
  /// buffer (ASan saw the heap corrupted much later, in FFmpeg's frees). The reader now scales
  /// into its own padded rows; this checks that bytes after the caller's buffer stay untouched.
  @Test(arguments: [1, 3])
  func videoFramesNeverWritePastTheBuffer(channels: Int32) throws {
    let url = FuzzCorpusTests.corpus.appendingPathComponent(
      "video/regression-frames-wider-than-header.webm")
    let bytes = [UInt8](try Data(contentsOf: url))
    // The reader reads from this memory until it is closed.
    let data = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
    _ = data.initialize(from: bytes)
    defer { data.deallocate() }
    var message = [CChar](repeating: 0, count: Int(CVIDEO_MESSAGE_SIZE))
    var reader: OpaquePointer?
    var info = cvideo_info()
    let opened = cvideo_reader_open_memory(
      data.baseAddress, data.count, channels, 4096, 1 << 22, 1, &reader, &info, &message)
    try #require(opened == CVIDEO_OK)
    defer { cvideo_reader_close(reader) }
    #expect(info.width == 1 && info.height == 160)
    let size = Int(info.width) * Int(info.height) * Int(channels)
    let guardBytes = 256
    var converted = 0
    while true {
      var time = 0.0
      if cvideo_reader_next(reader, &time, &message) != CVIDEO_OK { break }
      var out = [UInt8](repeating: 0xAB, count: size + guardBytes)
      let frame = out.withUnsafeMutableBufferPointer {
        cvideo_reader_frame(reader, $0.baseAddress, &message)
      }
      #expect(frame == CVIDEO_OK)
      #expect(out[size...].allSatisfy { $0 == 0xAB }, "bytes written past the frame")
      converted += 1
    }
    #expect(converted > 0)
  }
}
