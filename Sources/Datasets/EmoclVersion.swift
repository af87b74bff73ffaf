/// The Emocl release, written into every model card.
public enum EmoclVersion {
  public static let string = "0.1.0"
}
