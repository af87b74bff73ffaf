import Tensor
import Testing

@Suite struct StatisticsTests {
  struct Fixture: Decodable {
    let x, columnMeans, columnVariances, columnVariancesDdof1, covariance: FixtureTensor
    let scalerMean, scalerScale, standardized: FixtureTensor
    let row, xPlusRow, nchw, channel, nchwPlusChannel, nchwTimesChannel,
      nchwChannelSums: FixtureTensor
  }

  @Test func columnStatisticsMatchNumPy() throws {
    let f = try loadFixture("statistics.json", as: Fixture.self)
    let x = f.x.tensor
    expectClose(x.columnMeans(), f.columnMeans.tensor)
    expectClose(x.columnVariances(), f.columnVariances.tensor, rtol: 1e-5, atol: 1e-5)
    expectClose(x.columnVariances(ddof: 1), f.columnVariancesDdof1.tensor, rtol: 1e-5, atol: 1e-5)
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
    var xPlusRow = x
    xPlusRow.addInPlace(f.row.tensor, alongAxis: 1)
    expectClose(xPlusRow, f.xPlusRow.tensor)
    var plus = f.nchw.tensor
    plus.addInPlace(f.channel.tensor, alongAxis: 1)
    expectClose(plus, f.nchwPlusChannel.tensor)
    var times = f.nchw.tensor
    times.multiplyInPlace(f.channel.tensor, alongAxis: 1)
    expectClose(times, f.nchwTimesChannel.tensor)
    // Subtracting undoes adding.
    plus.subtractInPlace(f.channel.tensor, alongAxis: 1)
    expectClose(plus, f.nchw.tensor, rtol: 1e-5, atol: 1e-6)
    expectClose(f.nchw.tensor.sum(keepingOnly: 1), f.nchwChannelSums.tensor, atol: 1e-5)
  }

  @Test func transposeMatchesNumPy() throws {
    let f = try loadFixture("statistics.json", as: Fixture.self)
    let x = f.x.tensor
    let t = x.transposed()
    #expect(t.shape == [6, 20])
    #expect(t.transposed() == x)
    #expect(t[4, 17] == x[17, 4])
    for row in 0..<20 {
      for column in 0..<6 { #expect(t[column, row] == x[row, column]) }
    }
    #expect(Tensor(shape: [0, 3]).transposed().shape == [3, 0])
  }
}
