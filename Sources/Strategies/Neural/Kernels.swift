/// The inner loops of the matrix products, written as plain scalar loops over pointers:
/// release builds vectorise them (the dot keeps eight independent sums so the reduction
/// vectorises without reassociating), and debug builds, where generic SIMD types are not
/// specialised, stay fast enough for tests.
enum Kernels {
    /// Σ a[i]·b[i] for i in 0..<count.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var (s0, s1, s2, s3, s4, s5, s6, s7): (Float, Float, Float, Float, Float, Float, Float, Float) = (0, 0, 0, 0, 0, 0, 0, 0)
        var index = 0
        while index + 8 <= count {
            s0 += a[index] * b[index]
            s1 += a[index + 1] * b[index + 1]
            s2 += a[index + 2] * b[index + 2]
            s3 += a[index + 3] * b[index + 3]
            s4 += a[index + 4] * b[index + 4]
            s5 += a[index + 5] * b[index + 5]
            s6 += a[index + 6] * b[index + 6]
            s7 += a[index + 7] * b[index + 7]
            index += 8
        }
        while index < count {
            s0 += a[index] * b[index]
            index += 1
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    }

    /// y[i] += alpha·x[i] for i in 0..<count.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        for index in 0..<count { y[index] += alpha * x[index] }
    }
}
