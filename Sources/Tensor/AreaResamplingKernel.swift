import CKernels

/// Area resampling of an 8-bit RGB image to normalised floats from its summed-area table,
/// vectorised (CKernels' `emocl_area_resample`): each output value is the mean of a window of
/// pixels, `(mean − 127.5) · 2⁻⁷`. Per output row, the column sums between its window's two
/// table rows over the span its windows cover, in contiguous vectors; then each window's sum as
/// the difference of two of them; then the division and normalisation in contiguous vectors. The operations and their
/// rounding are those of a scalar loop over the table's four corners (wrapping 32-bit sums
/// converted to float, divided by the window's pixel count), so the outputs are bit-identical
/// to it.
///
/// Output row `r` spans table rows `rowStarts[r] ..< rowEnds[r]`, output column `x` the table cells at
/// offsets `columnStarts[x]` and `columnEnds[x]` of a row (3 per column: the window's first
/// column and one past its last, times 3). Value `(c, r, x)` goes to
/// `destination[c·planeStride + r·rowStride + x]`. Every window must be non-empty and inside
/// the table, the column offsets non-decreasing; `instructions` must be supported here.
public enum AreaResamplingKernel {
  /// From `table` (`[rows + 1][columns + 1][3]` sums, `tableStride` values a row).
  public static func resample(
    table: UnsafePointer<UInt32>, tableStride: Int, rowStarts: [Int32], rowEnds: [Int32],
    columnStarts: [Int32], columnEnds: [Int32], into destination: UnsafeMutablePointer<Float>,
    rowStride: Int, planeStride: Int, instructions: PlanarInstructions
  ) {
    run(rowStarts, rowEnds, columnStarts, columnEnds, instructions) {
      starts, ends, width, scratch in
      emocl_area_resample(
        instructions.rawValue, table, tableStride, rowStarts, rowEnds, Int32(rowStarts.count),
        starts, ends, width, destination, rowStride, planeStride, scratch)
    }
  }

  /// `kernel` with the column offsets, their count and the scratch the C kernels need.
  private static func run(
    _ rowStarts: [Int32], _ rowEnds: [Int32], _ columnStarts: [Int32], _ columnEnds: [Int32],
    _ instructions: PlanarInstructions,
    _ kernel: (
      UnsafePointer<Int32>, UnsafePointer<Int32>, Int32, UnsafeMutablePointer<UInt32>
    ) -> Void
  ) {
    precondition(rowStarts.count == rowEnds.count && columnStarts.count == columnEnds.count)
    precondition(PlanarInstructions.supported.contains(instructions))
    guard !rowStarts.isEmpty, !columnStarts.isEmpty else { return }
    let width = Int32(columnStarts.count)
    columnStarts.withUnsafeBufferPointer { starts in
      columnEnds.withUnsafeBufferPointer { ends in
        let (s, e) = (starts.baseAddress!, ends.baseAddress!)
        // The column sums of the span the windows cover, then 3 window sums a column.
        let count = emocl_area_scratch(s, e, width)
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { scratch in
          kernel(s, e, width, scratch.baseAddress!)
        }
      }
    }
  }
}
