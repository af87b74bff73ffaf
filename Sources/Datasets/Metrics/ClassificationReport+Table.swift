import Foundation

extension ClassificationReport {
  /// A plain-text report: per-class precision / recall / F1 / support with the macro and weighted
  /// averages and accuracy, then the confusion matrix (rows = true, columns = predicted); columns
  /// are right-aligned and scores have `digits` decimals.
  public func table(digits: Int = 4) -> String {
    func score(_ value: Double) -> String { String(format: "%.\(digits)f", value) }
    var rows: [[String]] = [["", "precision", "recall", "f1", "support"]]
    for (name, s) in zip(classes, scoresInClassOrder) {
      rows.append([name, score(s.precision), score(s.recall), score(s.f1), "\(s.support)"])
    }
    rows.append([])
    rows.append(["accuracy", "", "", score(accuracy), "\(n)"])
    rows.append(["macro avg", score(macroPrecision), score(macroRecall), score(macroF1), "\(n)"])
    rows.append([
      "weighted avg", score(weightedPrecision), score(weightedRecall), score(weightedF1), "\(n)",
    ])
    var text = Self.aligned(rows)
    text += "\nconfusion matrix (rows = true, columns = predicted)\n"
    let matrixRows =
      [["true \\ predicted"] + classes]
      + zip(classes, confusion).map { name, row in [name] + row.map(String.init) }
    text += Self.aligned(matrixRows)
    return text
  }

  /// Rows of cells with the first column left-aligned and the others right-aligned, two spaces
  /// apart; an empty row is a blank line.
  private static func aligned(_ rows: [[String]]) -> String {
    let columns = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
    }
    var out = ""
    for row in rows {
      var line = ""
      for (i, cell) in row.enumerated() {
        let pad = String(repeating: " ", count: widths[i] - cell.count)
        line += i == 0 ? cell + pad : "  " + pad + cell
      }
      while line.hasSuffix(" ") { line.removeLast() }
      out += line + "\n"
    }
    return out
  }
}
