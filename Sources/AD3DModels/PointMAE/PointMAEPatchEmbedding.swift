import AD3DTensor

/// The mini-PointNet that turns each group of K relative points into one token ([PM] `Encoder`):
/// conv1 3→128, BN, ReLU, conv2 128→256 = f, g = max_K f,
/// conv3 on `[g ; f]` 512→512, BN, ReLU, conv4 512→C, max over K.
///
/// BatchNorm runs in eval mode and is folded into the convolution before it when the module is
/// built. conv3's weight is split as `[W_g | W_f]`: `W_g·g` is the same for every point of a group,
/// so it is computed once per group (§8), and the per-point product needs only `W_f·f`.
struct PointMAEPatchEmbedding: Sendable {
    let conv1: PointMAELinear, bn1: PointMAEBatchNorm, conv2: PointMAELinear
    let conv3: PointMAELinear, bn2: PointMAEBatchNorm, conv4: PointMAELinear

    /// The folded weights the forward pass reads, packed into one array (see `Slot`): conv1 with bn1
    /// folded in; conv2; the global (first 256 columns) and per-point (last 256) halves of conv3
    /// with bn2 folded in, and its bias; conv4's weight.
    private let packed: [Float]
    private let offsets: [Int]

    private enum Slot: Int, CaseIterable {
        case stage1, stage1Bias, conv2, conv2Bias, global, point, stage3Bias, conv4
    }

    /// Points per chunk: bounds the scratch memory (about 4 KB per point at C = 384) whatever G·K is,
    /// while keeping every `sgemm` large enough to run at full speed.
    static let chunkPoints = 8192

    /// Declares the parameters under `encoder.patch.` with `source`.
    init(_ source: inout PointMAEParameterSource, outputs: Int, batchNormEpsilon: Float) {
        let (first, feature, second) = PointMAEConfiguration.patchHiddenDimensions
        conv1 = PointMAELinear(&source, "encoder.patch.conv1", inputs: 3, outputs: first)
        bn1 = PointMAEBatchNorm(&source, "encoder.patch.bn1", width: first, epsilon: batchNormEpsilon)
        conv2 = PointMAELinear(&source, "encoder.patch.conv2", inputs: first, outputs: feature)
        conv3 = PointMAELinear(&source, "encoder.patch.conv3", inputs: 2 * feature, outputs: second)
        bn2 = PointMAEBatchNorm(&source, "encoder.patch.bn2", width: second, epsilon: batchNormEpsilon)
        conv4 = PointMAELinear(&source, "encoder.patch.conv4", inputs: second, outputs: outputs)
        let stage1 = bn1.folded(into: conv1), stage3 = bn2.folded(into: conv3)
        let slots: [Slot: Tensor] = [
            .stage1: stage1.weight, .stage1Bias: stage1.bias!, .conv2: conv2.weight, .conv2Bias: conv2.bias!,
            .global: stage3.weight.slice(alongAxis: 1, range: 0..<feature),
            .point: stage3.weight.slice(alongAxis: 1, range: feature..<(2 * feature)),
            .stage3Bias: stage3.bias!, .conv4: conv4.weight,
        ]
        var packed: [Float] = [], offsets: [Int] = []
        for slot in Slot.allCases {
            offsets.append(packed.count)
            packed.append(contentsOf: slots[slot]!.storage)
        }
        self.packed = packed
        self.offsets = offsets
    }

    /// Adds the unfolded parameters to `parameters`.
    func collect(into parameters: inout [String: Tensor]) {
        conv1.collect(into: &parameters, "encoder.patch.conv1")
        bn1.collect(into: &parameters, "encoder.patch.bn1")
        conv2.collect(into: &parameters, "encoder.patch.conv2")
        conv3.collect(into: &parameters, "encoder.patch.conv3")
        bn2.collect(into: &parameters, "encoder.patch.bn2")
        conv4.collect(into: &parameters, "encoder.patch.conv4")
    }

    /// Tokens `[G, C]` of `neighborhoods` `[G, K, 3]` (coordinates relative to each centre).
    func callAsFunction(_ neighborhoods: Tensor) -> Tensor {
        precondition(neighborhoods.rank == 3 && neighborhoods.shape[2] == 3, "neighborhoods must be [G, K, 3], got \(neighborhoods.shape)")
        let (groups, size) = (neighborhoods.shape[0], neighborhoods.shape[1])
        precondition(size >= 1, "groups must hold at least one point")
        let (first, feature, second) = PointMAEConfiguration.patchHiddenDimensions
        let outputs = conv4.outputs
        let chunkGroups = max(1, Self.chunkPoints / size)
        let chunkRows = min(chunkGroups, groups) * size
        // One scratch allocation for all intermediate activations of a chunk.
        let sizes = [chunkRows * first, chunkRows * feature, chunkGroups * feature, chunkGroups * second,
                     chunkRows * second, chunkRows * outputs]
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: sizes.reduce(0, +))
        defer { scratch.deallocate() }
        let starts = sizes.indices.map { scratch + sizes[..<$0].reduce(0, +) }
        let (h1, f, pooled, global, h3, h4) = (starts[0], starts[1], starts[2], starts[3], starts[4], starts[5])
        var tokens = Tensor(shape: [groups, outputs])
        packed.withUnsafeBufferPointer { packed in
            let w = { (slot: Slot) in packed.baseAddress! + offsets[slot.rawValue] }
            neighborhoods.storage.withUnsafeBufferPointer { x in
                tokens.storage.withUnsafeMutableBufferPointer { out in
                    for start in stride(from: 0, to: groups, by: chunkGroups) {
                        let count = min(chunkGroups, groups - start), rows = count * size
                        PointMAEKernels.linear(
                            x.baseAddress! + start * size * 3, rows: rows, inputs: 3,
                            weight: w(.stage1), bias: w(.stage1Bias), width: first, into: h1)
                        PointMAEKernels.relu(h1, count: rows * first)
                        PointMAEKernels.linear(h1, rows: rows, inputs: first, weight: w(.conv2), bias: w(.conv2Bias), width: feature, into: f)
                        PointMAEKernels.maxPool(f, groups: count, size: size, width: feature, into: pooled)
                        PointMAEKernels.linear(
                            pooled, rows: count, inputs: feature, weight: w(.global), bias: w(.stage3Bias), width: second, into: global)
                        for group in 0..<count {
                            for k in 0..<size { (h3 + (group * size + k) * second).update(from: global + group * second, count: second) }
                        }
                        BLAS.sgemm(
                            f, lda: feature, w(.point), ldb: feature, into: h3, ldc: second, m: rows, n: second, k: feature,
                            transposeB: true, beta: 1)
                        PointMAEKernels.relu(h3, count: rows * second)
                        // conv4's bias is the same for every point, so it is added after the max-pool.
                        PointMAEKernels.linear(h3, rows: rows, inputs: second, weight: w(.conv4), bias: nil, width: outputs, into: h4)
                        PointMAEKernels.maxPool(h4, groups: count, size: size, width: outputs, into: out.baseAddress! + start * outputs)
                    }
                }
            }
        }
        tokens.addRowVector(conv4.bias!)
        return tokens
    }
}
