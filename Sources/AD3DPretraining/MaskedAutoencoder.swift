import AD3DNN
import AD3DTensor

/// One pretraining example: a crop's Point-MAE groups and which of them are masked.
public struct PretrainingSample: Sendable, Equatable {
    /// Absolute group centres `[G, 3]`.
    public var centers: Tensor
    /// Group points relative to their centre `[G, K, 3]`.
    public var neighborhoods: Tensor
    /// Indices of the visible groups, increasing.
    public var visibleGroups: [Int]
    /// Indices of the masked groups, increasing.
    public var maskedGroups: [Int]
    /// The same groups taken from a second, independent sampling of the shape `[G, K, 3]` (nil
    /// unless the run uses the sampling-consistency loss).
    public var alternateNeighborhoods: Tensor?

    /// A sample from its parts.
    public init(centers: Tensor, neighborhoods: Tensor, visibleGroups: [Int], maskedGroups: [Int], alternateNeighborhoods: Tensor? = nil) {
        self.centers = centers
        self.neighborhoods = neighborhoods
        self.visibleGroups = visibleGroups
        self.maskedGroups = maskedGroups
        self.alternateNeighborhoods = alternateNeighborhoods
    }
}

/// Point-MAE's masked autoencoder (Pang et al. 2022): the encoder sees the
/// visible groups of each sample, the decoder gets the encoded tokens plus a mask token per masked
/// group and predicts the masked groups' points, scored by Chamfer-L2.
///
/// A mini-batch runs as stacked matrices: the patch encoder on all groups of all samples at once
/// (BatchNorm statistics over the whole batch, as PyTorch), every row-wise transformer layer on
/// all tokens at once, attention per sample.
public struct MaskedAutoencoder: ParameterContainer, Sendable {
    /// The encoder being pretrained.
    public var encoder: PretrainingEncoder
    /// The decoder, discarded after pretraining.
    public var decoder: PretrainingDecoder

    /// A model from its two halves.
    public init(encoder: PretrainingEncoder, decoder: PretrainingDecoder) {
        self.encoder = encoder
        self.decoder = decoder
    }

    /// The Chamfer-L2 loss of reconstructing the masked groups of `samples` (all with the same G, K
    /// and mask count), recorded on `tape`. Training mode normalises with batch statistics, which are
    /// returned for `updateRunningStatistics`; otherwise the running estimates are used.
    ///
    /// With `encodingMaskedPatches` the patch encoder also runs on masked groups (their tokens are
    /// dropped, as in Point-MAE, but they count in the BatchNorm statistics); without, it runs on
    /// the visible groups only, 2.5× cheaper at ratio 0.6, with statistics over those groups.
    ///
    /// With a positive `consistencyWeight` and alternate neighbourhoods in every sample, the patch
    /// encoder also embeds the visible groups' second sampling, and `consistencyWeight` times the
    /// cross-correlation loss between the two samplings' tokens is added: a patch's token should
    /// describe its surface, not which points happened to be sampled on it.
    public func loss(
        _ samples: [PretrainingSample], tape: Tape, training: Bool, encodingMaskedPatches: Bool = false,
        consistencyWeight: Float = 0
    ) -> (loss: Variable, statistics: [BatchStatistics]) {
        let layout = PretrainingBatchLayout(samples)
        let (groups, size) = (layout.groupCount, layout.groupSize)
        let centers = Tensor.concatenate(samples.map(\.centers), alongAxis: 0)  // [B·G, 3]
        let neighborhoods = Tensor.concatenate(samples.map(\.neighborhoods), alongAxis: 0)  // [B·G, K, 3]
        let scope = ParameterScope(tape: tape)
        let encoderScope = scope.child("encoder"), decoderScope = scope.child("decoder")

        let encodedGroups = encodingMaskedPatches ? Array(0..<(samples.count * groups)) : layout.visibleRows
        let alternates = samples.compactMap(\.alternateNeighborhoods)
        let consistent = consistencyWeight > 0 && alternates.count == samples.count
        var patchInput = neighborhoods.gatherRows(encodedGroups)
        if consistent {
            patchInput = Tensor.concatenate(
                [patchInput, Tensor.concatenate(alternates, alongAxis: 0).gatherRows(layout.visibleRows)], alongAxis: 0)
        }
        let points = tape.constant(patchInput.reshaped([patchInput.shape[0] * size, 3]))
        let (allTokens, statistics) = encoder.patch(points, groupSize: size, encoderScope.child("patch"), training: training)
        // The visible groups' tokens: every row unless masked groups or a second sampling were encoded too.
        let tokens = encodingMaskedPatches ? allTokens.gatherRows(layout.visibleRows)
            : consistent ? allTokens.gatherRows(Array(layout.visibleRows.indices)) : allTokens
        let visiblePositions = encoder.pos(tape.constant(centers.gatherRows(layout.visibleRows)), encoderScope.child("pos"))
        let blockOutputs = encoder.blockOutputs(
            tokens: tokens, positions: visiblePositions, sequenceLength: layout.visibleCount, encoderScope)
        let encoded = encoder.norm(blockOutputs.last ?? tokens, encoderScope.child("norm"))  // [B·V, D]

        let maskToken = decoderScope.parameter("mask_token", decoder.maskToken).reshaped([1, decoder.maskToken.count])
        let decoderInput = Variable.concatenate([encoded, maskToken.repeatRows(samples.count * layout.maskedCount)], alongAxis: 0)
            .gatherRows(layout.decoderOrder)  // [B·G, D], per sample visible then masked
        let decoderPositions = decoder.pos(tape.constant(centers.gatherRows(layout.decoderCenterRows)), decoderScope.child("pos"))
        let prediction = decoder(
            decoderInput, positions: decoderPositions, groupCount: groups, maskedRows: layout.decoderMaskedRows, decoderScope)
        let target = neighborhoods.gatherRows(layout.maskedRows)  // [B·M, K, 3]
        let reconstruction = prediction.chamferL2(target: target, groupSize: size)
        guard consistent else { return (reconstruction, statistics) }
        let alternateTokens = allTokens.gatherRows(Array(encodedGroups.count..<(encodedGroups.count + layout.visibleRows.count)))
        let consistency = tokens.crossCorrelationLoss(with: alternateTokens, offDiagonalWeight: 1 / Float(tokens.shape[1]))
        return (reconstruction + consistency.scaled(by: consistencyWeight), statistics)
    }

    /// Moves the patch encoder's BatchNorm running estimates towards a training pass's statistics.
    public mutating func updateRunningStatistics(_ statistics: [BatchStatistics]) {
        encoder.patch.updateRunningStatistics(statistics)
    }

    public mutating func visitParameters(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try encoder.visitParameters(prefix: parameterName(prefix, "encoder"), body)
        try decoder.visitParameters(prefix: parameterName(prefix, "decoder"), body)
    }

    /// The non-trained state: the BatchNorm running estimates.
    public mutating func visitBuffers(prefix: String, _ body: (String, inout Tensor) throws -> Void) rethrows {
        try encoder.patch.visitBuffers(prefix: parameterName(prefix, "encoder.patch"), body)
    }
}

/// Row bookkeeping of a stacked mini-batch: which rows of the `[B·G, …]` matrices are visible or
/// masked, and how the decoder's rows (per sample: visible then masked) map onto them.
struct PretrainingBatchLayout {
    let groupCount: Int, groupSize: Int, visibleCount: Int, maskedCount: Int
    /// Rows `b·G + g` of the visible groups, sample by sample.
    let visibleRows: [Int]
    /// Rows `b·G + g` of the masked groups, sample by sample.
    let maskedRows: [Int]
    /// Rows of `[encoded (B·V) ; mask tokens (B·M)]` giving the decoder's input order.
    let decoderOrder: [Int]
    /// Rows of the stacked centres in the decoder's order.
    let decoderCenterRows: [Int]
    /// Rows of the decoder's output holding the mask tokens.
    let decoderMaskedRows: [Int]

    init(_ samples: [PretrainingSample]) {
        precondition(!samples.isEmpty, "a batch needs at least one sample")
        let first = samples[0]
        let (g, k, v, m, b) = (first.centers.shape[0], first.neighborhoods.shape[1], first.visibleGroups.count, first.maskedGroups.count, samples.count)
        precondition(samples.allSatisfy {
            $0.centers.shape == [g, 3] && $0.neighborhoods.shape == [g, k, 3] && $0.visibleGroups.count == v && $0.maskedGroups.count == m
        }, "all samples of a batch need the same G, K and mask count")
        (groupCount, groupSize, visibleCount, maskedCount) = (g, k, v, m)
        visibleRows = samples.enumerated().flatMap { index, sample in sample.visibleGroups.map { index * g + $0 } }
        maskedRows = samples.enumerated().flatMap { index, sample in sample.maskedGroups.map { index * g + $0 } }
        var order: [Int] = [], centerRows: [Int] = []
        for index in 0..<b {
            let visible: Range<Int> = (index * v)..<((index + 1) * v), masked: Range<Int> = (index * m)..<((index + 1) * m)
            order += Array(visible)
            order += masked.map { b * v + $0 }
            centerRows += visibleRows[visible]
            centerRows += maskedRows[masked]
        }
        decoderOrder = order
        decoderCenterRows = centerRows
        decoderMaskedRows = (0..<b).flatMap { index in Array((index * g + v)..<((index + 1) * g)) }
    }
}
