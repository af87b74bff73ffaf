import Tensor
import Testing

@Suite struct StatisticsTests {
  struct Fixture: Decodable {
    let x, columnMeans, columnVariances, columnVariancesDdof1, covariance: FixtureTensor
    let scalerMean, scalerScale, standardized: FixtureTensor
    let row, xPlusRow, nchw, channel, nchwPlusChannel, nchwTimesChannel,
      nchwChannelSums: FixtureTensor
    let permuted0231, permuted3102: FixtureTensor
  }

  @Test func columnStatisticsMatchNumPy() throws {
    let f = try loadFixture("statistics.json", as: Fixture.self)
    let x = f.x.tensor
    expectClose(x.columnMeans(), f.columnMeans.tensor)
    expectClose(x.columnVariances(), f.columnVariances.tensor, rtol: 1e-5, atol: 1e-5)
    expectClose(x.columnVariances(ddof: 1), f.columnVariancesDdof1.tensor, rtol: 1e-5, atol: 1e-5)
    expectClose(
      x.columnStandardDeviations(), f.columnVariances.tensor.map { $0.squareRoot() }, rtol: 1e-5)
    // Covariance goes through Float GEMM on centred data, hence the looser tolerance.
    expectClose(x.covariance(), f.covariance.tensor, rtol: 1e-4, atol: 1e-4)
    let (centered, means) = x.centeredColumns()
    expectClose(means, f.columnMeans.tensor)
    for mean in centered.columnMeans().storage { #expect(abs(mean) < 1e-4) }
  }

  @Test func standardizerMatchesScikitLearn() throws {
    let f = try loadFixture("statistics.json", as: Fixture.self)
    let x = f.x.tensor
    let scaler = ColumnStandardizer(fitting: x)
    #expect(scaler.features == 6)
    expectClose(scaler.means, f.scalerMean.tensor)
    expectClose(scaler.scales, f.scalerScale.tensor, rtol: 1e-5)
    expectClose(scaler.transform(x), f.standardized.tensor, rtol: 1e-4, atol: 1e-5)
    var inPlace = x
    scaler.transformInPlace(&inPlace)
    #expect(inPlace == scaler.transform(x))
    expectClose(scaler.inverseTransform(inPlace), x, rtol: 1e-5, atol: 1e-4)
    let restored = try ColumnStandardizer(means: scaler.means, scales: scaler.scales)
    #expect(restored == scaler)
  }

  @Test func standardizerRejectsBadStatistics() {
    let means = Tensor(shape: [2], storage: [0, 1])
    #expect(throws: TensorError.self) {
      try ColumnStandardizer(means: means, scales: Tensor(shape: [2], storage: [1, 0]))
    }
    #expect(throws: TensorError.self) {
      try ColumnStandardizer(means: means, scales: Tensor(shape: [3], repeating: 1))
    }
    #expect(throws: TensorError.self) {
      try ColumnStandardizer(
        means: Tensor(shape: [2], storage: [.nan, 0]), scales: Tensor(shape: [2], repeating: 1))
    }
  }

  @Test func broadcastingMatchesNumPy() throws {
    let f = try loadFixture("statistics.json", as: Fixture.self)
    let x = f.x.tensor
    expectClose(x.addingRow(f.row.tensor), f.xPlusRow.tensor)
    var plus = f.nchw.tensor
    plus.addInPlace(f.channel.tensor, alongAxis: 1)
    expectClose(plus, f.nchwPlusChannel.tensor)
    var times = f.nchw.tensor
    times.multiplyInPlace(f.channel.tensor, alongAxis: 1)
    expectClose(times, f.nchwTimesChannel.tensor)
    // Dividing and subtracting undo multiplying and adding.
    times.divideInPlace(f.channel.tensor, alongAxis: 1)
    expectClose(times, f.nchw.tensor, rtol: 1e-5)
    plus.subtractInPlace(f.channel.tensor, alongAxis: 1)
    expectClose(plus, f.nchw.tensor, rtol: 1e-5, atol: 1e-6)
    expectClose(f.nchw.tensor.sum(keepingOnly: 1), f.nchwChannelSums.tensor, atol: 1e-5)
  }

  @Test func transposeAndPermuteMatchNumPy() throws {
    let f = try loadFixture("statistics.json", as: Fixture.self)
    let nchw = f.nchw.tensor
    #expect(nchw.permuted([0, 2, 3, 1]) == f.permuted0231.tensor)
    #expect(nchw.permuted([3, 1, 0, 2]) == f.permuted3102.tensor)
    #expect(nchw.permuted([0, 1, 2, 3]) == nchw)
    let x = f.x.tensor
    let t = x.transposed()
    #expect(t.shape == [6, 20])
    #expect(t.transposed() == x)
    #expect(t[4, 17] == x[17, 4])
    #expect(x.permuted([1, 0]) == t)
    #expect(Tensor(shape: [0, 3]).transposed().shape == [3, 0])
  }
}
