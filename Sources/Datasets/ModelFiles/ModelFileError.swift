/// A model file that cannot be read, written or used, naming the file and the problem.
public struct ModelFileError: Error, Equatable, CustomStringConvertible {
  /// The file's path (or a caller-chosen label for in-memory bytes).
  public let path: String
  /// What is wrong.
  public let problem: Problem

  /// The `problem` of the file at `path`.
  public init(path: String, problem: Problem) {
    self.path = path
    self.problem = problem
  }

  /// What is wrong with a model file.
  public enum Problem: Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read or written (missing, permissions, disk).
    case io(String)
    /// The file is larger than `ModelFile.maximumFileSize` (not read, to avoid a huge allocation).
    case tooLarge(bytes: Int)
    /// The bytes are another kind of file (e.g. "a PNG image").
    case otherFileType(String)
    /// The bytes are not a valid safetensors file.
    case notSafetensors(SafetensorsError)
    /// A valid safetensors file without an Emocl model card in its metadata.
    case missingCard
    /// The card is not valid JSON of the card's structure, or is inconsistent.
    case invalidCard(String)
    /// The card's format version is newer than this build reads.
    case unsupportedFormatVersion(Int)
    /// The model is of another kind than the caller needs.
    case wrongKind(expected: ModelKind, found: ModelKind)
    /// A tensor the model kind needs is absent.
    case missingTensor(String)
    /// A tensor the model kind does not use is present.
    case unexpectedTensor(String)
    /// A tensor has the wrong shape (`nil` in `expected` means any size).
    case wrongShape(tensor: String, expected: [Int?], found: [Int])
    /// A tensor holds NaN or infinite values (a broken or tampered model).
    case nonFinite(tensor: String)

    public var description: String {
      switch self {
      case .io(let why): return why
      case .tooLarge(let bytes):
        return
          "file of \(bytes) bytes exceeds the \(ModelFile.maximumFileSize)-byte model size limit"
      case .otherFileType(let what): return "this is \(what), not an Emocl model (.safetensors)"
      case .notSafetensors(let error): return "not a valid safetensors file: \(error)"
      case .missingCard:
        return "safetensors file has no Emocl model card (metadata key '\(ModelCard.metadataKey)')"
      case .invalidCard(let why): return "invalid model card: \(why)"
      case .unsupportedFormatVersion(let v):
        return
          "model format version \(v) is newer than this Emocl reads (\(ModelCard.currentFormatVersion)); upgrade Emocl"
      case .wrongKind(let expected, let found):
        return "model is a '\(found)', expected a '\(expected)'"
      case .missingTensor(let name): return "missing tensor '\(name)'"
      case .unexpectedTensor(let name): return "unexpected tensor '\(name)'"
      case .wrongShape(let name, let expected, let found):
        let want = expected.map { $0.map(String.init) ?? "*" }.joined(separator: ", ")
        return "tensor '\(name)' has shape \(found), expected [\(want)]"
      case .nonFinite(let name): return "tensor '\(name)' holds NaN or infinite values"
      }
    }
  }

  public var description: String { "model file \(path): \(problem)" }
}
