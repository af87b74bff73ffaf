/// Deterministic numbers in [-1, 1) for the self-test (a 64-bit LCG).
struct SelfTestNumbers {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> Float {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    // The top 24 bits as a signed number in [-2²³, 2²³), scaled to [-1, 1).
    return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
  }
  mutating func array(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
}
