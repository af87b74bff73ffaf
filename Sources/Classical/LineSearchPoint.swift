/// A point accepted by the line search, with its value and gradient.
struct LineSearchPoint {
  var step: Double
  var x: [Double]
  var value: Double
  var gradient: [Double]
  var slope: Double
}
