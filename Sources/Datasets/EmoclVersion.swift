/// The Emocl release, written into every model card.
public enum EmoclVersion {
  /// The version number, `major.minor.patch`.
  public static let string = "0.1.0"
}
