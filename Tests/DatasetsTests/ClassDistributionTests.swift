import Datasets
import Testing

@Suite struct ClassDistributionTests {
  @Test func tableShowsCountsSharesTotalsAndAllColumn() {
    let distribution = ClassDistribution(
      classes: ["angry", "disgust", "happy"],
      columns: [
        .init(title: "train", counts: [1, 2, 7]),
        .init(title: "val", counts: [0, 1, 2]),
      ])
    let expected = """
      class        train       val        all
      angry     1  10.0%  0   0.0%   1   7.7%
      disgust   2  20.0%  1  33.3%   3  23.1%
      happy     7  70.0%  2  66.7%   9  69.2%
      total    10 100.0%  3 100.0%  13 100.0%

      """
    #expect(distribution.table() == expected)
  }

  @Test func emptyColumnShowsDashes() {
    let table = ClassDistribution(classes: ["angry"], columns: [.init(title: "x", counts: [0])])
      .table()
    #expect(table == "class         x\nangry  0      -\ntotal  0      -\n")
  }
}
