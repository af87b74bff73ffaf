import Datasets
import Foundation

/// Bytes starting with `{` are a model card's JSON: a card that decodes and is consistent must
/// survive writing a model file with it and reading that back. Other bytes are a whole model
/// file (`ModelFile(parsing:path:)`): what parses must carry a consistent card.
enum ModelCardHarness {
  static func run(_ data: [UInt8]) throws(FuzzFailure) {
    if data.first == UInt8(ascii: "{") {
      try roundTrip(cardJSON: data)
    } else if let model = try? ModelFile(parsing: data, path: "<fuzz>") {
      try FuzzFailure.require(model.card.inconsistency == nil, "accepted an inconsistent card")
      try FuzzFailure.require(
        model.card.formatVersion <= ModelCard.currentFormatVersion,
        "accepted format version \(model.card.formatVersion)")
    }
  }

  private static func roundTrip(cardJSON: [UInt8]) throws(FuzzFailure) {
    guard let card = try? JSONDecoder().decode(ModelCard.self, from: Data(cardJSON)),
      card.inconsistency == nil, card.formatVersion <= ModelCard.currentFormatVersion
    else { return }
    // A card with values JSON cannot carry (e.g. infinities) may fail to encode: not a bug.
    guard let bytes = try? ModelFile(card: card, tensors: [:]).serialized() else { return }
    do {
      let model = try ModelFile(parsing: bytes, path: "<fuzz>")
      try FuzzFailure.require(model.card == card, "card changed in a write and read")
    } catch let failure as FuzzFailure {
      throw failure
    } catch {
      throw FuzzFailure("a written card does not read back: \(error)")
    }
  }
}
