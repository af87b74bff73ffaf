/// What one forward or backward pass of a workspace is about.
struct StepContext {
  /// Images in this worker's part of the batch.
  var batch: Int
  /// Training (batch statistics, dropout) or evaluation (running statistics, no dropout).
  var training: Bool
  /// Index of this worker's first image within the whole batch, so random masks depend on the
  /// image, not on how the batch was split between workers.
  var imageOffset: Int
  /// Seed of this step's random masks.
  var seed: UInt64
  /// Threads a convolution may split its forward pass over (for small batches, where one
  /// GEMM per layer is too small for the batch to be split between workers).
  var threads: Int = 1
  /// The weights do not change between calls (inference only), so layers may keep transforms
  /// of them from one call to the next.
  var frozenWeights = false
}
