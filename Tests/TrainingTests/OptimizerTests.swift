import Foundation
import NeuralNet
import Testing
import Training

@Suite struct OptimizerTests {
  private func store() throws -> Network {
    // One dense layer: weight [2, 3] (decayed) and bias [2] (not decayed).
    try Network(
      spec: NetworkSpec(
        inputChannels: 3, inputHeight: 1, inputWidth: 1, layers: [.dense(outputs: 2)]),
      seed: 0)
  }

  @Test func sgdNesterovMatchesTheRecurrence() throws {
    let net = try store()
    try net.parameters.setAll([1, 2, 3, 4, 5, 6, 0.5, -0.5])
    let opt = Optimizer(
      config: OptimizerConfig(kind: .sgd, momentum: 0.9, weightDecay: 0.1),
      parameters: net.parameters)
    let grad: [Float] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1, -1]
    var p: [Double] = [1, 2, 3, 4, 5, 6, 0.5, -0.5]
    var buf = [Double](repeating: 0, count: 8)
    for step in 1...3 {
      grad.withUnsafeBufferPointer {
        opt.step(parameters: net.parameters, gradients: $0.baseAddress!, learningRate: 0.1)
      }
      for i in 0..<8 {
        let g = Double(grad[i]) + (i < 6 ? 0.1 * p[i] : 0)
        buf[i] = step == 1 ? g : 0.9 * buf[i] + g
        p[i] -= 0.1 * (g + 0.9 * buf[i])
      }
    }
    for (a, b) in zip(net.parameters.allValues, p) { #expect(abs(Double(a) - b) < 1e-5) }
    #expect(opt.steps == 3)
  }

  @Test func adamWMatchesTheRecurrence() throws {
    let net = try store()
    try net.parameters.setAll([1, 2, 3, 4, 5, 6, 0.5, -0.5])
    let opt = Optimizer(
      config: OptimizerConfig(kind: .adamw, weightDecay: 0.01), parameters: net.parameters)
    var p: [Double] = [1, 2, 3, 4, 5, 6, 0.5, -0.5]
    var m = [Double](repeating: 0, count: 8)
    var v = [Double](repeating: 0, count: 8)
    for t in 1...4 {
      let grad: [Float] = (0..<8).map { Float($0 - 3) * 0.1 * Float(t) }
      grad.withUnsafeBufferPointer {
        opt.step(parameters: net.parameters, gradients: $0.baseAddress!, learningRate: 0.01)
      }
      for i in 0..<8 {
        if i < 6 { p[i] *= 1 - 0.01 * 0.01 }
        let g = Double(grad[i])
        m[i] = 0.9 * m[i] + 0.1 * g
        v[i] = 0.999 * v[i] + 0.001 * g * g
        let mh = m[i] / (1 - pow(0.9, Double(t)))
        let vh = v[i] / (1 - pow(0.999, Double(t)))
        p[i] -= 0.01 * mh / (vh.squareRoot() + 1e-8)
      }
    }
    for (a, b) in zip(net.parameters.allValues, p) { #expect(abs(Double(a) - b) < 1e-5) }
  }

  @Test func scheduleWarmsUpThenDecays() {
    let s = LearningRateSchedule(peak: 1, warmupSteps: 10, totalSteps: 110, finalFraction: 0.01)
    #expect(abs(s.rate(at: 0) - 0.1) < 1e-12)
    #expect(abs(s.rate(at: 10) - 1) < 1e-12)
    #expect(abs(s.rate(at: 60) - (0.01 + 0.99 * 0.5)) < 1e-9)
    #expect(abs(s.rate(at: 110) - 0.01) < 1e-12)
    #expect(s.rate(at: 5) < s.rate(at: 9))
    #expect(s.rate(at: 70) > s.rate(at: 90))
  }
}
