import Datasets
import Tensor
import Vision

extension InputSpec {
  /// Face crops as a normalised batch of shape `[faces, channels, height, width]` (NCHW, the
  /// layout Emocl models take): `x = (pixel * scale - mean[c]) / std[c]`. Grey crops are
  /// replicated into every channel of a 3-channel model; RGB crops are converted to grey for a
  /// 1-channel model.
  ///
  /// Throws `AnalysisError.invalidOptions` when a crop is not `width` × `height`.
  public func batch(_ faces: [Image]) throws(AnalysisError) -> Tensor {
    let plane = width * height
    var storage = [Float](repeating: 0, count: faces.count * channels * plane)
    for (n, face) in faces.enumerated() {
      guard face.width == width, face.height == height else {
        throw .invalidOptions(
          "face \(n) is \(face.width)x\(face.height), the model takes \(width)x\(height)")
      }
      let grey = face.channels == 1 || channels == 3 ? face : face.grey()
      for c in 0..<channels {
        let factor = Float(scale / std[c])
        let offset = Float(mean[c] / std[c])
        let source = grey.channels == 1 ? 0 : c
        let base = (n * channels + c) * plane
        for i in 0..<plane {
          storage[base + i] = Float(grey.pixels[i * grey.channels + source]) * factor - offset
        }
      }
    }
    return Tensor(shape: [faces.count, channels, height, width], storage: storage)
  }
}
