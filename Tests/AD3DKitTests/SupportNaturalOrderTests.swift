import Testing
import AD3DSupport

/// `NaturalOrder`: numbered scan names in the order people count them.
@Suite struct SupportNaturalOrderTests {
    @Test func numbersCompareByValue() {
        let names = ["10_cut", "1_good", "2_good", "b", "a10", "a2", "a", "01_hole", "1_bulge", "100", "9"]
        #expect(names.sortedNaturally() == ["1_bulge", "1_good", "01_hole", "2_good", "9", "10_cut", "100", "a", "a2", "a10", "b"])
    }

    @Test func equalValuesFallBackToStringOrderSoTheOrderIsTotal() {
        #expect(NaturalOrder.areInIncreasingOrder("01", "1"))
        #expect(!NaturalOrder.areInIncreasingOrder("1", "01"))
        #expect(!NaturalOrder.areInIncreasingOrder("x", "x"))
        #expect(NaturalOrder.areInIncreasingOrder("part 7", "part 007 b"))
    }

    @Test func longNumbersDoNotOverflow() {
        #expect(NaturalOrder.areInIncreasingOrder("scan_99999999999999999999999", "scan_100000000000000000000000"))
    }
}
