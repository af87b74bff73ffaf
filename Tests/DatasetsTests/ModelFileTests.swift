import Datasets
import Foundation
import Tensor
import TestSupport
import Testing

private func sampleCard() throws -> ModelCard {
  let metrics = try ClassificationReport(
    truth: [.angry, .happy, .sad, .happy], predicted: [.angry, .happy, .happy, .happy])
  return ModelCard(
    kind: .logreg, classes: Emotion.names,
    input: InputSpec(width: 48, height: 48, channels: 1, mean: [0.5], std: [0.25]),
    architecture: ["features": 2304, "l2": 1e-4, "solver": "sgd", "layers": [32, 64], "bn": true],
    training: TrainingInfo(
      data: "../shared/datasets/fer2013/train", command: "emocl train logreg", seconds: 12.5,
      date: Date(timeIntervalSince1970: 1_700_000_000)),
    metrics: metrics,
    calibration: Calibration(temperature: 1.5, eceBefore: 0.12, eceAfter: 0.03))
}

private func sampleTensors() -> [String: Tensor] {
  let w = (0..<(7 * 5)).map { Float(sin(Double($0))) * 0.37 }
  return [
    "weight": Tensor(shape: [7, 5], storage: w),
    "bias": Tensor(shape: [7], storage: (0..<7).map { Float($0) / 3 - 1 }),
  ]
}

private func problem(_ body: () throws -> Void) -> ModelFileError.Problem? {
  do {
    try body()
    return nil
  } catch let error as ModelFileError {
    return error.problem
  } catch {
    Issue.record("unexpected error \(error)")
    return nil
  }
}

@Suite struct ModelFileTests {
  @Test func float32RoundTripIsExact() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let url = dir.url.appendingPathComponent("m.safetensors")
    let model = ModelFile(card: try sampleCard(), tensors: sampleTensors())
    try model.write(to: url, precision: .float32)
    let back = try ModelFile.read(from: url)
    #expect(back.card == model.card)
    #expect(back.tensors == model.tensors)
    #expect(back.storedTypes == ["weight": .f32, "bias": .f32])
    #expect(back.path == url.path)
    #expect(back.card.emoclVersion == EmoclVersion.string)
    #expect(back.card.training?.date == "2023-11-14T22:13:20Z")
    #expect(back.card.architecture["layers"] == [32, 64])
  }

  @Test func float16IsDefaultWithinHalfPrecisionAndFallsBackForLargeValues() throws {
    var tensors = sampleTensors()
    tensors["big"] = Tensor(shape: [2], storage: [1, 1e5])
    tensors["keep"] = Tensor(shape: [1], storage: [0.1])
    let model = ModelFile(card: try sampleCard(), tensors: tensors)

    let half = try ModelFile(parsing: try model.serialized(), path: "half")
    #expect(half.storedTypes == ["weight": .f16, "bias": .f16, "big": .f32, "keep": .f16])
    for name in ["weight", "bias"] {
      for (a, b) in zip(half.tensors[name]!.storage, tensors[name]!.storage) {
        #expect(abs(a - b) <= abs(b) * 0x1p-11, "\(name)")
      }
    }
    #expect(half.tensors["big"] == tensors["big"])

    let mixed = try ModelFile(
      parsing: try model.serialized(precision: .float16Except(["keep"])), path: "mixed")
    #expect(mixed.storedTypes["keep"] == .f32 && mixed.storedTypes["weight"] == .f16)
    #expect(mixed.tensors["keep"] == tensors["keep"])
    // Half precision halves the weight bytes.
    #expect(try model.serialized(precision: .float32).count > (try model.serialized()).count)
  }

  @Test func readsModelWrittenByPython() throws {
    let url = SharedData.fixture("DatasetsTests", "safetensors_reference.safetensors")
    let model = try ModelFile.read(from: url)
    #expect(model.card.kind == .logreg)
    #expect(model.card.classes == Emotion.names)
    #expect(model.card.input.mean == [0.5] && model.card.input.std == [0.25])
    #expect(model.card.intendedUse.contains("émotions ≠ feelings"))
    #expect(model.card.training?.seconds == 12.5)
    #expect(model.card.metrics == nil && model.card.calibration == nil)
    #expect(model.tensors["linear.weight"]?.shape == [3, 4])
    #expect(model.storedTypes["class_index"] == .i64)
    #expect(model.tensors["class_index"]?.storage == [0, 1, 2, 3, 4, 5, 6])
  }

  @Test func cardJSONRoundTripsThroughMetadata() throws {
    let card = try sampleCard()
    let bytes = try ModelFile(card: card, tensors: [:]).serialized()
    let file = try Safetensors(parsing: bytes)
    #expect(Array(file.metadata?.keys ?? [:].keys) == [ModelCard.metadataKey])
    let json = try #require(file.metadata?[ModelCard.metadataKey])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "kind", "format_version", "classes", "input", "architecture", "training", "metrics",
        "calibration", "emocl_version", "intended_use",
      ])
    #expect(object["kind"] as? String == "logreg")
    #expect((object["calibration"] as? [String: Any])?["ece_after"] as? Double == 0.03)
    #expect(card.intendedUse.contains("EU AI Act"))
  }

  @Test func truncatedFilesAreTypedErrorsNamingTheFile() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let bytes = try ModelFile(card: try sampleCard(), tensors: sampleTensors()).serialized()
    let url = dir.url.appendingPathComponent("cut.safetensors")
    try Data(bytes.prefix(bytes.count - 10)).write(to: url)
    do {
      _ = try ModelFile.read(from: url)
      Issue.record("truncated file accepted")
    } catch let error as ModelFileError {
      #expect(error.path == url.path)
      #expect("\(error)".contains(url.path) && "\(error)".contains("truncated"))
      guard case .notSafetensors(.truncated) = error.problem else {
        Issue.record("wrong problem \(error.problem)")
        return
      }
    }
  }

  @Test func otherFilesAreRejected() throws {
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48]
    #expect(
      problem { _ = try ModelFile(parsing: png, path: "x.png") } == .otherFileType("a PNG image"))
    var state: UInt64 = 42
    let random = (0..<256).map { _ -> UInt8 in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
    guard case .notSafetensors = problem({ _ = try ModelFile(parsing: random, path: "r") }) else {
      Issue.record("random bytes accepted")
      return
    }
    let noCard = try Safetensors(tensors: ["w": SafetensorsTensor(Tensor(shape: [2]))]).serialized()
    #expect(problem { _ = try ModelFile(parsing: noCard, path: "n") } == .missingCard)
    #expect(
      problem { _ = try ModelFile.read(from: URL(fileURLWithPath: "/nonexistent/m.safetensors")) }
        == .io("no such file"))
  }

  @Test func oversizedFilesAreNotRead() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let url = dir.url.appendingPathComponent("huge.safetensors")
    // A sparse file: its size is over the limit without using the disk space.
    try Data().write(to: url)
    let handle = try FileHandle(forWritingTo: url)
    try handle.truncate(atOffset: UInt64(ModelFile.maximumFileSize + 1))
    try handle.close()
    #expect(
      problem { _ = try ModelFile.read(from: url) }
        == .tooLarge(bytes: ModelFile.maximumFileSize + 1))
  }

  @Test func badCardsAreRejected() throws {
    func file(card: String) throws -> [UInt8] {
      try Safetensors(metadata: [ModelCard.metadataKey: card]).serialized()
    }
    guard
      case .invalidCard = problem({ _ = try ModelFile(parsing: try file(card: "{oops"), path: "a") }
      )
    else {
      Issue.record("non-JSON card accepted")
      return
    }
    let cardJSON = String(decoding: try sampleCard().jsonData(), as: UTF8.self)
    let newer = cardJSON.replacingOccurrences(
      of: "\"format_version\":1", with: "\"format_version\":99")
    #expect(newer != cardJSON)
    #expect(
      problem { _ = try ModelFile(parsing: try file(card: newer), path: "b") }
        == .unsupportedFormatVersion(99))
    let noKind = cardJSON.replacingOccurrences(of: "\"kind\":\"logreg\",", with: "")
    #expect(
      problem { _ = try ModelFile(parsing: try file(card: noKind), path: "c") }
        == .invalidCard("missing 'kind'"))
    var inconsistent = try sampleCard()
    inconsistent.input.mean = [0, 0]
    guard
      case .invalidCard = problem({
        _ = try ModelFile(card: inconsistent, tensors: [:]).serialized()
      })
    else {
      Issue.record("inconsistent card written")
      return
    }
  }

  @Test func expectedTensorsAndKindAreChecked() throws {
    let model = try ModelFile(
      parsing: try ModelFile(card: try sampleCard(), tensors: sampleTensors()).serialized(),
      path: "m.safetensors")
    try model.requireKind(.logreg)
    try model.requireTensors(["weight": [7, nil], "bias": [7]])
    #expect(problem { try model.requireKind(.cnn) } == .wrongKind(expected: .cnn, found: .logreg))
    #expect(
      problem { try model.requireTensors(["weight": [7, 2304], "bias": [7]]) }
        == .wrongShape(tensor: "weight", expected: [7, 2304], found: [7, 5]))
    #expect(
      problem { try model.requireTensors(["weight": [7, 5], "bias": [7], "scale": [1]]) }
        == .missingTensor("scale"))
    #expect(problem { try model.requireTensors(["weight": [7, 5]]) } == .unexpectedTensor("bias"))
    try model.requireTensors(["weight": [7, 5]], allowingExtra: true)
    #expect(problem { _ = try model.tensor("nope") } == .missingTensor("nope"))
    do {
      try model.requireTensors(["weight": [7, 2304], "bias": [7]])
    } catch {
      #expect(
        "\(error)"
          == "model file m.safetensors: tensor 'weight' has shape [7, 5], expected [7, 2304]")
    }
  }
}
