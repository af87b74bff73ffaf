import Foundation
import Tensor
import Vision

/// A model on disk: one `.safetensors` file holding the weights as named tensors and the
/// `ModelCard` as JSON in the metadata under `ModelCard.metadataKey` (the only metadata key).
///
/// Tensors are written as Float16 by default (see `StoragePrecision`) and always read back
/// as `Float`.
public struct ModelFile: Sendable, Equatable {
  /// The model card.
  public var card: ModelCard
  /// The weights by name, e.g. `"weight"` of shape `[classes, features]`.
  public var tensors: [String: Tensor]
  /// How each tensor was stored, when read from a file (empty for a new model).
  public private(set) var storedTypes: [String: SafetensorsDType] = [:]
  /// The largest file `read(from:)` accepts (1 GiB; Emocl models are a few MB).
  public static let maximumFileSize = 1 << 30

  /// Where the model was read from, used in error messages (`"<memory>"` otherwise).
  public private(set) var path: String = "<memory>"

  /// A model with `card` and `tensors`.
  public init(card: ModelCard, tensors: [String: Tensor]) {
    self.card = card
    self.tensors = tensors
  }

  /// Which element type tensors are stored as.
  public enum StoragePrecision: Sendable, Equatable {
    /// Every tensor as F32 (exact).
    case float32
    /// Every tensor as F16 (half the size; relative rounding error ≤ 2^-11), except tensors
    /// with values outside Float16's finite range (±65504), which stay F32.
    case float16
    /// As `float16`, but the named tensors stay F32 (e.g. ones needing full precision).
    case float16Except(Set<String>)
  }

  /// The file's bytes. Throws `ModelFileError` for an inconsistent card, a card that cannot be
  /// encoded (e.g. a NaN in it) or an invalid tensor name.
  public func serialized(precision: StoragePrecision = .float16) throws -> [UInt8] {
    if let problem = card.inconsistency {
      throw ModelFileError(path: path, problem: .invalidCard(problem))
    }
    let cardJSON: String
    do {
      cardJSON = String(decoding: try card.jsonData(), as: UTF8.self)
    } catch {
      throw ModelFileError(path: path, problem: .invalidCard("cannot encode: \(error)"))
    }
    var stored: [String: SafetensorsTensor] = [:]
    for (name, tensor) in tensors {
      stored[name] = SafetensorsTensor(tensor, dtype: Self.dtype(for: name, tensor, precision))
    }
    do {
      return try Safetensors(tensors: stored, metadata: [ModelCard.metadataKey: cardJSON])
        .serialized()
    } catch {
      throw ModelFileError(path: path, problem: .notSafetensors(error))
    }
  }

  /// Writes the model to `url` atomically (a reader never sees a half-written file).
  public func write(to url: URL, precision: StoragePrecision = .float16) throws {
    var named = self
    named.path = url.path
    let bytes = try named.serialized(precision: precision)
    do {
      try Data(bytes).write(to: url, options: .atomic)
    } catch {
      throw ModelFileError(
        path: url.path, problem: .io("cannot write: \(error.localizedDescription)"))
    }
  }

  /// Reads and validates the model file at `url` (see `init(parsing:path:)`).
  public static func read(from url: URL) throws -> ModelFile {
    let data: Data
    do {
      // One stat for the kind and the size. A device or a FIFO would be read without end or
      // waited on; a directory is not a model. A path stat cannot see fails in the read below.
      var status = stat()
      if stat(url.path, &status) == 0 {
        if let refusal = FileKind(status).refusal {
          throw ModelFileError(path: url.path, problem: .io(refusal))
        }
        let size = Int(status.st_size)
        guard size <= maximumFileSize else {
          throw ModelFileError(path: url.path, problem: .tooLarge(bytes: size))
        }
      }
      data = try Data(contentsOf: url)
    } catch let error as ModelFileError {
      throw error
    } catch {
      let why =
        FileManager.default.fileExists(atPath: url.path)
        ? "cannot read: \(error.localizedDescription)" : "no such file"
      throw ModelFileError(path: url.path, problem: .io(why))
    }
    return try ModelFile(parsing: [UInt8](data), path: url.path)
  }

  /// Parses file bytes: a valid safetensors layout (see `Safetensors.init(parsing:)`), a card
  /// under `ModelCard.metadataKey` that decodes, is of a supported format version and is
  /// consistent. `path` names the source in errors.
  public init(parsing bytes: [UInt8], path: String) throws {
    let contents: Safetensors
    do {
      contents = try Safetensors(parsing: bytes)
    } catch {
      if let what = Self.sniffOtherFileType(bytes) {
        throw ModelFileError(path: path, problem: .otherFileType(what))
      }
      throw ModelFileError(path: path, problem: .notSafetensors(error))
    }
    guard let cardJSON = contents.metadata?[ModelCard.metadataKey] else {
      throw ModelFileError(path: path, problem: .missingCard)
    }
    // Check the version before the full decode, so a newer layout says "upgrade", not "invalid".
    if let version = (try? JSONDecoder().decode(JSONValue.self, from: Data(cardJSON.utf8)))?[
      "format_version"]?.intValue, version > ModelCard.currentFormatVersion
    {
      throw ModelFileError(path: path, problem: .unsupportedFormatVersion(version))
    }
    let card: ModelCard
    do {
      card = try JSONDecoder().decode(ModelCard.self, from: Data(cardJSON.utf8))
    } catch {
      throw ModelFileError(path: path, problem: .invalidCard(Self.describe(error)))
    }
    // Again after the full decode: the check above is skipped when the card is not plain JSON
    // values throughout (found by fuzzing: a version 2 card was accepted).
    if card.formatVersion > ModelCard.currentFormatVersion {
      throw ModelFileError(path: path, problem: .unsupportedFormatVersion(card.formatVersion))
    }
    if let problem = card.inconsistency {
      throw ModelFileError(path: path, problem: .invalidCard(problem))
    }
    self.init(card: card, tensors: contents.tensors.mapValues(\.tensor))
    self.storedTypes = contents.tensors.mapValues(\.dtype)
    self.path = path
  }

  /// Checks that the card's kind is `kind`.
  public func requireKind(_ kind: ModelKind) throws {
    guard card.kind == kind else {
      throw ModelFileError(path: path, problem: .wrongKind(expected: kind, found: card.kind))
    }
  }

  /// Checks that exactly the tensors a model kind needs are present with the right shapes.
  /// `expected` maps names to shapes where `nil` accepts any size in that dimension, e.g.
  /// `["weight": [7, nil], "bias": [7]]`; extra tensors are an error unless `allowingExtra`.
  public func requireTensors(_ expected: [String: [Int?]], allowingExtra: Bool = false) throws {
    for name in expected.keys.sorted() {
      let want = expected[name]!
      guard let tensor = tensors[name] else {
        throw ModelFileError(path: path, problem: .missingTensor(name))
      }
      let matches =
        tensor.shape.count == want.count
        && zip(tensor.shape, want).allSatisfy { got, w in w.map { $0 == got } ?? true }
      guard matches else {
        throw ModelFileError(
          path: path, problem: .wrongShape(tensor: name, expected: want, found: tensor.shape))
      }
    }
    if !allowingExtra, let extra = tensors.keys.sorted().first(where: { expected[$0] == nil }) {
      throw ModelFileError(path: path, problem: .unexpectedTensor(extra))
    }
  }

  /// The tensor `name`, or a `missingTensor` error naming the file.
  public func tensor(_ name: String) throws -> Tensor {
    guard let t = tensors[name] else {
      throw ModelFileError(path: path, problem: .missingTensor(name))
    }
    return t
  }

  private static func dtype(
    for name: String, _ tensor: Tensor, _ precision: StoragePrecision
  ) -> SafetensorsDType {
    switch precision {
    case .float32: return .f32
    case .float16Except(let keep) where keep.contains(name): return .f32
    case .float16, .float16Except:
      let limit = Float(Float16.greatestFiniteMagnitude)
      return tensor.storage.allSatisfy { abs($0) <= limit } ? .f16 : .f32
    }
  }

  /// A name for common non-model file types, from their magic bytes.
  private static func sniffOtherFileType(_ bytes: [UInt8]) -> String? {
    let signatures: [([UInt8], String)] = [
      ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
      ([0xFF, 0xD8, 0xFF], "a JPEG image"),
      ([0x52, 0x49, 0x46, 0x46], "a RIFF (WebP/WAV) file"),
      ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (e.g. a PyTorch .pt file)"),
      ([0x80, 0x02], "a Python pickle"),
      ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59], "a NumPy .npy file"),
      ([0x7B], "a JSON/text file"),
    ]
    for (magic, name) in signatures where bytes.starts(with: magic) { return name }
    return nil
  }

  private static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    switch error {
    case .keyNotFound(let key, let context):
      return "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
      .dataCorrupted(let context):
      let at = context.codingPath.map(\.stringValue).joined(separator: ".")
      return (at.isEmpty ? "" : "'\(at)': ") + context.debugDescription
    @unknown default:
      return "\(error)"
    }
  }
}
