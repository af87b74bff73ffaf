import Tensor
import Testing

@Suite struct GEMMTests {
  @Test func smallProductMatchesHandComputed() {
    let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], storage: [7, 8, 9, 10, 11, 12])
    #expect(a.matmul(b).storage == [58, 64, 139, 154])
    #expect(a.matmul(a, transposeOther: true).storage == [14, 32, 32, 77])
    #expect(a.matmul(a, transposeSelf: true).shape == [3, 3])
  }
}
