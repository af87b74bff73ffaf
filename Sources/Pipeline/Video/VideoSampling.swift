/// Which frames of a video are analysed.
public enum VideoSampling: Sendable, Equatable, CustomStringConvertible {
  /// Every decoded frame (`--fps all`).
  case everyFrame
  /// At most this many frames per second of video (`--fps N`, N > 0): the first frame at or
  /// after each multiple of 1/N seconds.
  case perSecond(Double)

  /// The default, stated in `emocl predict --help`.
  public static let standard = VideoSampling.perSecond(10)

  /// Parses `all` or a positive number of frames per second (at most 1000); nil otherwise.
  public init?(parsing text: String) {
    if text == "all" {
      self = .everyFrame
      return
    }
    guard let rate = Double(text), rate.isFinite, rate > 0, rate <= 1000 else { return nil }
    self = .perSecond(rate)
  }

  public var description: String {
    switch self {
    case .everyFrame: "all"
    case .perSecond(let rate): rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }
  }
}
