/// `a * b`, or nil when the product overflows or either factor is negative: sizes read from a file
/// are multiplied with this before anything is allocated.
package func checkedProduct(_ a: Int, _ b: Int) -> Int? {
    guard a >= 0, b >= 0 else { return nil }
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? nil : product
}
