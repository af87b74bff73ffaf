import Tensor

/// Runs a Tensor-layer decomposition, reporting its LAPACK failures as `ClassicalError`.
func lapack<R>(_ body: () throws(TensorError) -> R) throws -> R {
  do {
    return try body()
  } catch .lapack(let routine, let info) {
    throw ClassicalError.lapackFailure(routine: routine, info: info)
  } catch {
    throw ClassicalError.invalidParameters("decomposition failed: \(error)")
  }
}
