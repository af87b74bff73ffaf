import CKernels
import Dispatch

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

  /// Fills the summed-area table of an 8-bit image (`pixels`, `[height][width][channels]`,
  /// `channels` 1 or 3; a grey image fills the three channels alike) into `table`
  /// (`[height + 1][width + 1][3]`, row 0 and column 0 already 0): cell `(y, x, c)` is the sum of
  /// channel `c` over rows `0 ..< y` and columns `0 ..< x`, modulo 2³². With `workers` above 1
  /// and a large enough image, bands of columns are built on threads of their own (each band
  /// starts its rows from the sums of the columns left of it).
  public static func summedAreaTable(
    pixels: UnsafePointer<UInt8>, width: Int, height: Int, channels: Int,
    into table: UnsafeMutablePointer<UInt32>, workers: Int = 1
  ) {
    precondition(channels == 1 || channels == 3)
    let stride = 3 * (width + 1)
    // Below this many pixels a thread's hand-over costs more than its share of the table.
    let bands = width * height >= 1 << 18 ? max(1, min(workers, width / 64)) : 1
    guard bands > 1 else {
      emocl_summed_area_rows(
        pixels, width * channels, Int32(channels), Int32(height), 0, Int32(width), nil, table,
        stride)
      return
    }
    let (source, sink) = (
      SendablePointer(UnsafeMutablePointer(mutating: pixels)), SendablePointer(table)
    )
    DispatchQueue.concurrentPerform(iterations: bands) { band in
      let (x0, x1) = (band * width / bands, (band + 1) * width / bands)
      guard band > 0 else {
        emocl_summed_area_rows(
          source.pointer, width * channels, Int32(channels), Int32(height), 0, Int32(x1), nil,
          sink.pointer, stride)
        return
      }
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 3 * height) { left in
        emocl_row_sums(
          source.pointer, width * channels, Int32(channels), Int32(height), Int32(x0),
          left.baseAddress!)
        emocl_summed_area_rows(
          source.pointer, width * channels, Int32(channels), Int32(height), Int32(x0),
          Int32(x1), left.baseAddress!, sink.pointer, stride)
      }
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
