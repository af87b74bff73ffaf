import Datasets
import Foundation
import TestSupport
import Testing

/// The cards of the models in `Models/` say how they were made as a user would type it from the
/// repository root: no training machine's absolute paths (`TrainingCommand.portable`).
@Suite struct ShippedCardTests {
  @Test func trainingCommandsHaveNoMachinePaths() throws {
    let models = SharedData.repositoryRoot.appendingPathComponent("Models")
    let files = try FileManager.default.contentsOfDirectory(atPath: models.path)
      .filter { $0.hasSuffix(".safetensors") }
    #expect(files.count >= 4)
    for name in files {
      let card = try ModelFile.read(from: models.appendingPathComponent(name)).card
      guard let training = card.training else { continue }
      for text in [training.command, training.data] {
        let words = text.split(separator: " ")
        #expect(!words.contains { $0.hasPrefix("/") || $0.contains("=/") }, "\(name): \(text)")
        #expect(!text.contains("emocl-train"), "\(name): \(text)")
      }
    }
  }
}
