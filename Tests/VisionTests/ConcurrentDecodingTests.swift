import Testing
import Vision

@Suite struct ConcurrentDecodingTests {
  /// The JPEG decoder keeps one TurboJPEG handle per thread and replaces it after an error:
  /// decoding valid and corrupt files interleaved, from many tasks at once, gives the same
  /// pixels as decoding each valid file alone.
  @Test func interleavedValidAndCorruptFromManyTasks() async throws {
    let files = [
      "rgb-16x12.jpg", "rgb-16x12-progressive.jpg", "grey-16x12.jpg", "orientation-6.jpg",
    ]
    let inputs = try files.map { try Fixtures.bytes($0) }
    let expected = try inputs.map { try Image(decoding: $0) }
    let corrupt = inputs.map { Array($0.prefix($0.count / 2)) }
    let mismatches = await withTaskGroup(of: Int.self) { group in
      for task in 0..<8 {
        group.addTask {
          var wrong = 0
          for round in 0..<200 {
            let k = (task + round) % inputs.count
            if (try? Image(decoding: corrupt[k])) != nil { wrong += 1 }
            if (try? Image(decoding: inputs[k])) != expected[k] { wrong += 1 }
          }
          return wrong
        }
      }
      return await group.reduce(0, +)
    }
    #expect(mismatches == 0)
  }
}
