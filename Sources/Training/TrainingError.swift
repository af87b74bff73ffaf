/// Why training, a checkpoint or a resume was refused.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// A configuration value out of range.
  case invalidConfiguration(String)
  /// A checkpoint file that is truncated, has a bad checksum or cannot be parsed.
  case corruptCheckpoint(String)
  /// A readable checkpoint that belongs to another network, optimiser or dataset.
  case checkpointMismatch(String)
  /// Training data that cannot be used (empty, wrong image size, bad labels).
  case invalidData(String)
  /// The loss became NaN or infinite.
  case diverged(String)

  public var description: String {
    switch self {
    case .invalidConfiguration(let why): return "invalid training configuration: \(why)"
    case .corruptCheckpoint(let why): return "corrupt checkpoint: \(why)"
    case .checkpointMismatch(let why): return "checkpoint does not match this run: \(why)"
    case .invalidData(let why): return "invalid training data: \(why)"
    case .diverged(let why): return "training diverged: \(why)"
    }
  }
}
