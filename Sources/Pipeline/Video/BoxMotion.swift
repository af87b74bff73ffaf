/// The motion model of one face track: four `MotionFilter`s over the box's centre and size.
/// Noise scales with the face's size, so a small far face and a large near one are tracked
/// alike (in face widths per second).
struct BoxMotion: Sendable, Equatable {
  private var centreX: MotionFilter
  private var centreY: MotionFilter
  private var width: MotionFilter
  private var height: MotionFilter

  /// A model starting at `box`, at rest.
  init(_ box: PixelBox) {
    let size = Double(max(box.width, box.height, 1))
    // A measured box is off by about 5% of its side; a face accelerates by up to about two
    // face widths per second² (turning, walking across); its velocity is unknown at first
    // (about one face width per second).
    func filter(_ value: Double, acceleration: Double) -> MotionFilter {
      MotionFilter(
        position: value, velocitySpread: size, accelerationVariance: acceleration,
        measurementVariance: (0.05 * size) * (0.05 * size))
    }
    let moving = (2 * size) * (2 * size)
    let resizing = (0.5 * size) * (0.5 * size)
    centreX = filter(Double(box.x) + Double(box.width) / 2, acceleration: moving)
    centreY = filter(Double(box.y) + Double(box.height) / 2, acceleration: moving)
    width = filter(Double(box.width), acceleration: resizing)
    height = filter(Double(box.height), acceleration: resizing)
  }

  /// The box `dt` seconds after the last update, without changing the model.
  func predicted(after dt: Double) -> PixelBox {
    Self.box(
      centreX: centreX.predicted(after: dt), centreY: centreY.predicted(after: dt),
      width: width.predicted(after: dt), height: height.predicted(after: dt))
  }

  /// The current estimate.
  var box: PixelBox { predicted(after: 0) }

  /// Moves the model `dt` seconds ahead.
  mutating func predict(after dt: Double) {
    centreX.predict(after: dt)
    centreY.predict(after: dt)
    width.predict(after: dt)
    height.predict(after: dt)
  }

  /// Corrects the model with a detected box.
  mutating func update(with box: PixelBox) {
    centreX.update(measurement: Double(box.x) + Double(box.width) / 2)
    centreY.update(measurement: Double(box.y) + Double(box.height) / 2)
    width.update(measurement: Double(box.width))
    height.update(measurement: Double(box.height))
  }

  private static func box(centreX: Double, centreY: Double, width: Double, height: Double)
    -> PixelBox
  {
    let limit = 1e9  // keeps a diverging estimate from trapping in Int conversion
    func clamp(_ value: Double) -> Double {
      value.isFinite ? min(max(value, -limit), limit) : 0
    }
    let w = max(clamp(width), 1)
    let h = max(clamp(height), 1)
    return PixelBox(
      x: Int((clamp(centreX) - w / 2).rounded()), y: Int((clamp(centreY) - h / 2).rounded()),
      width: Int(w.rounded()), height: Int(h.rounded()))
  }
}
