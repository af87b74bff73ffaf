import Foundation
import FuzzHarness
import Testing

/// The smoke run of the fuzz harnesses in `make test`: every committed seed and every input that
/// once crashed a parser (`Tests/FuzzCorpus/<target>/`), through its harness, without the
/// sanitizer build. A crash here is a regression of a fixed bug; a failure names the input.
@Suite struct FuzzCorpusTests {
  static let corpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

  @Test(arguments: FuzzTarget.allCases)
  func committedInputsPass(_ target: FuzzTarget) throws {
    let files = FuzzReplay.files(at: Self.corpus.appendingPathComponent(target.rawValue).path)
    #expect(!files.isEmpty, "no seeds for \(target.rawValue)")
    for file in files {
      let data = try [UInt8](Data(contentsOf: file))
      #expect(data.count <= target.maxLength, "\(file.lastPathComponent) exceeds -max_len")
      do {
        try target.run(data)
      } catch {
        Issue.record("\(file.path): \(error)")
      }
    }
  }

  @Test func emptyAndTinyInputsPass() throws {
    for target in FuzzTarget.allCases {
      for data: [UInt8] in [[], [0], [0xFF, 0xD8, 0xFF], Array("{".utf8)] {
        try target.run(data)
      }
    }
  }
}
