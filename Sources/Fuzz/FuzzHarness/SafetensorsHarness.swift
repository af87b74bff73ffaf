import Datasets

/// Parses the bytes as a `.safetensors` file. What parses must convert every tensor to `Float`
/// with one value per element, serialise, and parse back to equal contents.
enum SafetensorsHarness {
  static func run(_ data: [UInt8]) throws(FuzzFailure) {
    let contents: Safetensors
    do {
      contents = try Safetensors(parsing: data)
    } catch {
      return
    }
    var payload = 0
    for (name, stored) in contents.tensors {
      let tensor = stored.tensor
      try FuzzFailure.require(
        tensor.storage.count == stored.shape.reduce(1, *) && tensor.shape == stored.shape,
        "tensor '\(name)': \(tensor.storage.count) values for shape \(stored.shape)")
      payload += stored.bytes.count
    }
    try FuzzFailure.require(payload <= data.count, "tensors hold more bytes than the file")
    let bytes: [UInt8]
    do {
      bytes = try contents.serialized()
    } catch {
      // Only a tensor name the writer refuses (empty or `__metadata__`) may fail here.
      try FuzzFailure.require(contents.tensors.keys.contains(""), "cannot serialise: \(error)")
      return
    }
    do {
      let again = try Safetensors(parsing: bytes)
      try FuzzFailure.require(again == contents, "serialised contents parse differently")
    } catch let failure as FuzzFailure {
      throw failure
    } catch {
      throw FuzzFailure("serialised contents do not parse: \(error)")
    }
  }
}
