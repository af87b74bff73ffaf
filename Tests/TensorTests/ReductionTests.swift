import Tensor
import Testing

@Suite struct ReductionTests {
  struct Axis: Decodable {
    let axis: Int
    let sum, mean, max, min, variance, varianceDdof1: FixtureTensor
    let argmax: [Int]
  }
  struct Fixture: Decodable {
    let x: FixtureTensor
    let sum, mean, max, min, variance, varianceDdof1: Float
    let argmax: Int
    let axes: [Axis]
    let ties: FixtureTensor
    let tiesArgmaxAxis0, tiesArgmaxAxis1: [Int]
    let tiesArgmax: Int
    let sumKeepingOnly1: FixtureTensor
  }

  func near(_ a: Float, _ b: Float, _ rtol: Float = 1e-5) -> Bool {
    abs(a - b) <= 1e-6 + rtol * abs(b)
  }

  @Test func totalReductionsMatchNumPy() throws {
    let f = try loadFixture("reductions.json", as: Fixture.self)
    let x = f.x.tensor
    #expect(near(x.sum(), f.sum))
    #expect(near(x.mean(), f.mean))
    #expect(x.max() == f.max)
    #expect(x.min() == f.min)
    #expect(x.argmax() == f.argmax)
    #expect(near(x.variance(), f.variance))
    #expect(near(x.variance(ddof: 1), f.varianceDdof1))
  }

  @Test func axisReductionsMatchNumPy() throws {
    let f = try loadFixture("reductions.json", as: Fixture.self)
    let x = f.x.tensor
    #expect(f.axes.count == 3)
    for item in f.axes {
      let label = Comment(rawValue: "axis \(item.axis)")
      expectClose(x.sum(axis: item.axis), item.sum.tensor, label)
      expectClose(x.mean(axis: item.axis), item.mean.tensor, label)
      #expect(x.max(axis: item.axis) == item.max.tensor, label)
      #expect(x.min(axis: item.axis) == item.min.tensor, label)
      #expect(x.argmax(axis: item.axis) == item.argmax, label)
      expectClose(x.variance(axis: item.axis), item.variance.tensor, label)
      expectClose(x.variance(axis: item.axis, ddof: 1), item.varianceDdof1.tensor, label)
    }
    expectClose(x.sum(keepingOnly: 1), f.sumKeepingOnly1.tensor)
  }

  @Test func argmaxReturnsTheFirstOfTiedMaxima() throws {
    let f = try loadFixture("reductions.json", as: Fixture.self)
    let ties = f.ties.tensor
    #expect(ties.argmax(axis: 0) == f.tiesArgmaxAxis0)
    #expect(ties.argmax(axis: 1) == f.tiesArgmaxAxis1)
    #expect(ties.argmax() == f.tiesArgmax)
  }

  @Test func longSumsKeepPrecision() {
    // 10^6 copies of 0.1: a Float accumulator drifts by ~1%, Double accumulation does not.
    let x = Tensor(shape: [1_000_000], repeating: 0.1)
    #expect(abs(x.sum() - 100_000) < 1)
    #expect(abs(x.mean() - 0.1) < 1e-6)
    var square = x
    square.reshape([1000, 1000])
    #expect(abs(square.sum(axis: 0).sum() - 100_000) < 1)
  }

  @Test func nanNeverWinsMax() {
    let x = Tensor(shape: [2, 3], storage: [.nan, 1, 2, 5, .nan, 3])
    #expect(x.argmax(axis: 1) == [2, 0])
    #expect(x.max() == 5)
  }
}

@Suite struct EmptyReductionTests {
  @Test func emptyAxesReduceWithoutTrapping() {
    let rows = Tensor(shape: [0, 4])
    #expect(rows.sum(axis: 0) == Tensor(shape: [4]))
    #expect(rows.sum(axis: 1).shape == [0])
    #expect(rows.variance(axis: 1).shape == [0])
    #expect(rows.mean(axis: 0).storage.allSatisfy { $0.isNaN })
    let columns = Tensor(shape: [3, 0])
    #expect(columns.sum(axis: 1) == Tensor(shape: [3]))
    #expect(columns.variance(axis: 0).shape == [0])
    #expect(columns.sum(keepingOnly: 0) == Tensor(shape: [3]))
    #expect(Tensor(shape: [0]).sum() == 0)
  }
}
