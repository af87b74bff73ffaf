import Foundation
import NeuralNet

/// A training run's complete state on disk: configuration, progress, parameters, batch-norm
/// statistics and optimiser state. Enough to continue exactly where it stopped.
///
/// File layout (little-endian): the 8 bytes `EMOCLCKP`, a UInt32 version (1), a UInt64 header
/// length, the JSON header (``Header``), then the Float32 arrays the header sizes
/// (parameters, state, optimiser first and second moments), then a UInt64 FNV-1a hash of every
/// preceding byte. Written to a temporary file and renamed, so a crash never leaves half a
/// checkpoint.
public struct Checkpoint: Sendable {
  public struct Header: Codable, Sendable {
    public var config: CNNTrainingConfig
    public var progress: TrainingProgress
    public var parameterInfos: [ParameterInfo]
    public var stateInfos: [ParameterInfo]
    public var optimizerSteps: Int
    public var counts: [Int]
  }

  public var config: CNNTrainingConfig
  public var progress: TrainingProgress
  public var parameterInfos: [ParameterInfo]
  public var stateInfos: [ParameterInfo]
  public var parameters: [Float]
  public var state: [Float]
  public var optimizer: OptimizerState

  public init(
    config: CNNTrainingConfig, progress: TrainingProgress, parameterInfos: [ParameterInfo],
    stateInfos: [ParameterInfo], parameters: [Float], state: [Float], optimizer: OptimizerState
  ) {
    self.config = config
    self.progress = progress
    self.parameterInfos = parameterInfos
    self.stateInfos = stateInfos
    self.parameters = parameters
    self.state = state
    self.optimizer = optimizer
  }

  static let magic = Array("EMOCLCKP".utf8)
  static let version: UInt32 = 1

  /// Encodes and atomically writes the checkpoint to `url`.
  public func write(to url: URL) throws {
    let arrays = [parameters, state, optimizer.first, optimizer.second]
    let header = Header(
      config: config, progress: progress, parameterInfos: parameterInfos,
      stateInfos: stateInfos, optimizerSteps: optimizer.steps, counts: arrays.map(\.count))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = try encoder.encode(header)
    var data = Data(Self.magic)
    withUnsafeBytes(of: Self.version.littleEndian) { data.append(contentsOf: $0) }
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(json)
    for array in arrays {
      array.withUnsafeBytes { data.append(contentsOf: $0) }  // x86-64 and arm64: little-endian
    }
    let hash = Self.fnv1a(data)
    withUnsafeBytes(of: hash.littleEndian) { data.append(contentsOf: $0) }
    let temporary = url.appendingPathExtension("partial")
    try data.write(to: temporary)
    // rename(2) replaces the old checkpoint atomically.
    guard rename(temporary.path, url.path) == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
    }
  }

  /// Reads and verifies a checkpoint; any damage is a ``TrainingError/corruptCheckpoint(_:)``.
  public static func read(from url: URL) throws(TrainingError) -> Checkpoint {
    let data: Data
    do {
      data = try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
      throw .corruptCheckpoint("cannot read \(url.path): \(error.localizedDescription)")
    }
    let prefix = magic.count + 4 + 8
    guard data.count >= prefix + 8, Array(data.prefix(magic.count)) == magic else {
      throw .corruptCheckpoint("\(url.lastPathComponent) is not an Emocl checkpoint")
    }
    func integer<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
      var value = T.zero
      withUnsafeMutableBytes(of: &value) {
        $0.copyBytes(
          from: data[(data.startIndex + offset)..<(data.startIndex + offset + MemoryLayout<T>.size)]
        )
      }
      return T(littleEndian: value)
    }
    let version = integer(magic.count, UInt32.self)
    guard version == Self.version else {
      throw .corruptCheckpoint("checkpoint version \(version), expected \(Self.version)")
    }
    let stored = integer(data.count - 8, UInt64.self)
    guard stored == fnv1a(data.prefix(data.count - 8)) else {
      throw .corruptCheckpoint("checksum mismatch: the file is damaged or truncated")
    }
    let headerLength = integer(magic.count + 4, UInt64.self)
    guard headerLength <= UInt64(data.count - prefix - 8) else {
      throw .corruptCheckpoint("header length \(headerLength) exceeds the file")
    }
    let headerEnd = prefix + Int(headerLength)
    let header: Header
    do {
      header = try JSONDecoder().decode(
        Header.self, from: data[(data.startIndex + prefix)..<(data.startIndex + headerEnd)])
    } catch {
      throw .corruptCheckpoint("unreadable header: \(error)")
    }
    guard header.counts.count == 4, header.counts.allSatisfy({ $0 >= 0 && $0 <= 1 << 30 }),
      headerEnd + header.counts.reduce(0, +) * 4 == data.count - 8
    else { throw .corruptCheckpoint("array sizes do not match the file size") }
    var arrays: [[Float]] = []
    var offset = headerEnd
    for count in header.counts {
      var array = [Float](repeating: 0, count: count)
      array.withUnsafeMutableBytes {
        $0.copyBytes(
          from: data[(data.startIndex + offset)..<(data.startIndex + offset + count * 4)])
      }
      arrays.append(array)
      offset += count * 4
    }
    let parameterCount = header.parameterInfos.reduce(0) { $0 + $1.count }
    let stateCount = header.stateInfos.reduce(0) { $0 + $1.count }
    guard arrays[0].count == parameterCount, arrays[1].count == stateCount else {
      throw .corruptCheckpoint("parameter arrays do not match their tables")
    }
    return Checkpoint(
      config: header.config, progress: header.progress, parameterInfos: header.parameterInfos,
      stateInfos: header.stateInfos, parameters: arrays[0], state: arrays[1],
      optimizer: OptimizerState(steps: header.optimizerSteps, first: arrays[2], second: arrays[3]))
  }

  static func fnv1a(_ data: Data) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    data.withUnsafeBytes { bytes in
      for b in bytes {
        hash ^= UInt64(b)
        hash &*= 0x100_0000_01B3
      }
    }
    return hash
  }
}
