/// A constant-velocity Kalman filter of one coordinate: state (position, velocity), a
/// position measured with noise, and white-noise acceleration between measurements. Four of
/// them (centre x, centre y, width, height) make a face track's motion model; they are
/// independent, which keeps each update a few multiplications.
struct MotionFilter: Sendable, Equatable {
  /// The estimated position (pixels) and velocity (pixels per second).
  private(set) var position: Double
  private(set) var velocity: Double
  /// The state covariance [[p00, p01], [p01, p11]].
  private var p00: Double
  private var p01: Double
  private var p11: Double
  /// Variance of the acceleration (pixels²/s⁴) and of a measurement (pixels²).
  let accelerationVariance: Double
  let measurementVariance: Double

  /// A filter at `position` with unknown velocity (variance `velocitySpread`²).
  init(
    position: Double, velocitySpread: Double, accelerationVariance: Double,
    measurementVariance: Double
  ) {
    self.position = position
    velocity = 0
    p00 = measurementVariance
    p01 = 0
    p11 = velocitySpread * velocitySpread
    self.accelerationVariance = accelerationVariance
    self.measurementVariance = measurementVariance
  }

  /// The position `dt` seconds ahead, without changing the filter.
  func predicted(after dt: Double) -> Double { position + velocity * dt }

  /// Moves the state `dt` seconds ahead: x ← F x, P ← F P Fᵀ + Q, with F = [[1, dt], [0, 1]]
  /// and Q the discrete white-noise-acceleration covariance.
  mutating func predict(after dt: Double) {
    guard dt > 0 else { return }
    position += velocity * dt
    let q = accelerationVariance
    let dt2 = dt * dt
    let n00 = p00 + 2 * dt * p01 + dt2 * p11 + q * dt2 * dt2 / 4
    let n01 = p01 + dt * p11 + q * dt2 * dt / 2
    let n11 = p11 + q * dt2
    p00 = n00
    p01 = n01
    p11 = n11
  }

  /// Corrects the state with a measured position: the gain K = P Hᵀ / (H P Hᵀ + R), H = [1, 0].
  mutating func update(measurement: Double) {
    let innovation = measurement - position
    let s = p00 + measurementVariance
    let k0 = p00 / s
    let k1 = p01 / s
    position += k0 * innovation
    velocity += k1 * innovation
    let n00 = (1 - k0) * p00
    let n01 = (1 - k0) * p01
    let n11 = p11 - k1 * p01
    p00 = n00
    p01 = n01
    p11 = n11
  }
}
