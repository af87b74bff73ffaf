import Tensor
import Testing

@Suite struct ActivationRangeTests {
  @Test func planesGiveEachChannelsExtremesAndWideningKeepsTheUnion() {
    // Two channels of three values.
    let values: [Float] = [1, -2, 3, 0.5, 0.25, 4]
    var range = values.withUnsafeBufferPointer {
      ActivationRange(planes: $0.baseAddress!, channels: 2, count: 3)
    }
    #expect(range.minimum == [-2, 0.25] && range.maximum == [3, 4])
    range.widen(to: ActivationRange(minimum: [-1, -5], maximum: [7, 2]))
    #expect(range.minimum == [-2, -5] && range.maximum == [7, 4])
    let first = [ActivationRange(minimum: [1], maximum: [2])]
    let second = [ActivationRange(minimum: [0.5], maximum: [1.5])]
    #expect(ActivationRange.widen(nil, to: first) == first)
    #expect(
      ActivationRange.widen(first, to: second) == [ActivationRange(minimum: [0.5], maximum: [2])])
    // The quantization holds 0 exactly: a range of 1…2 is stored as 0…2.
    #expect(first[0].quantization == ByteQuantization(minimum: [0], maximum: [2]))
    #expect(first[0].quantization.zeroPoints == [0])
  }
}
