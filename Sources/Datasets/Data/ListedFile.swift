/// One file of an image-folder dataset, with what the cache key needs from `stat`.
struct ListedFile: Sendable, Equatable {
  /// Index into the class list.
  var label: Int
  /// `"class/file.jpg"`, relative to the root.
  var name: String
  var size: Int64
  var modifiedSeconds: Int64
  var modifiedNanoseconds: Int64
}
