import AD3DTensor

/// The positional MLP on absolute centres, `pos = fc2(GELU(fc1(c)))`, 3→128→D with exact GELU
/// ([PM] `MaskTransformer.pos_embed`).
struct PointMAEPositionalEmbedding: Sendable {
    let fc1: PointMAELinear, fc2: PointMAELinear

    /// Declares `encoder.pos.fc{1,2}` with `source`.
    init(_ source: inout PointMAEParameterSource, dimension: Int) {
        let hidden = PointMAEConfiguration.positionHiddenDimensions
        fc1 = PointMAELinear(&source, "encoder.pos.fc1", inputs: 3, outputs: hidden)
        fc2 = PointMAELinear(&source, "encoder.pos.fc2", inputs: hidden, outputs: dimension)
    }

    /// `[G, D]` embeddings of `centers` `[G, 3]`.
    func callAsFunction(_ centers: Tensor) -> Tensor {
        var hidden = fc1(centers)
        hidden.formGELU()
        return fc2(hidden)
    }

    /// Adds the parameters to `parameters`.
    func collect(into parameters: inout [String: Tensor]) {
        fc1.collect(into: &parameters, "encoder.pos.fc1")
        fc2.collect(into: &parameters, "encoder.pos.fc2")
    }
}

/// Multi-head self-attention without qkv bias ([PM] `Attention`; §4): `qkv` columns are `[q | k | v]`,
/// head j owning columns `j·d_h ..< (j+1)·d_h` of each third; scores `(q kᵀ)·d_h^-0.5`, row softmax.
struct PointMAEAttention: Sendable {
    let qkv: PointMAELinear, proj: PointMAELinear
    let headCount: Int

    /// Floats of one score tile: query rows are processed in tiles of `scoreBudget / G` rows, so the
    /// G×G score matrix is never materialised (16 MB whatever G is).
    static let scoreBudget = 1 << 22

    /// Declares `name.qkv.weight` and `name.proj.*` with `source`.
    init(_ source: inout PointMAEParameterSource, _ name: String, dimension: Int, headCount: Int) {
        qkv = PointMAELinear(&source, "\(name).qkv", inputs: dimension, outputs: 3 * dimension, bias: false)
        proj = PointMAELinear(&source, "\(name).proj", inputs: dimension, outputs: dimension)
        self.headCount = headCount
    }

    /// `residual ← residual + proj(attention(x))` for `x` and `residual` of shape `[G, D]`.
    func accumulate(_ x: Tensor, into residual: inout Tensor, tileRows: Int? = nil) {
        let heads = Self.attend(qkv(x), headCount: headCount, tileRows: tileRows)
        proj.accumulate(heads, into: &residual)
    }

    /// The concatenated head outputs `[G, D]` for `qkv` `[G, 3D]`. Each score tile holds complete
    /// rows, so tiling changes nothing but memory use; the softmax normalisation is applied to the
    /// d_h-wide output rows (`(e·v)/Σe`), which is cheaper than dividing the G-wide score rows.
    static func attend(_ qkv: Tensor, headCount: Int, tileRows: Int? = nil) -> Tensor {
        let (tokens, width) = (qkv.shape[0], qkv.shape[1])
        let dimension = width / 3, headWidth = dimension / headCount
        let rowsPerTile = max(1, min(tokens, tileRows ?? scoreBudget / max(tokens, 1)))
        let scale = 1 / Float(headWidth).squareRoot()
        var output = Tensor(shape: [tokens, dimension])
        guard tokens > 0 else { return output }
        var scores = [Float](repeating: 0, count: rowsPerTile * (tokens + 1))
        qkv.storage.withUnsafeBufferPointer { qkv in
            output.storage.withUnsafeMutableBufferPointer { out in
                scores.withUnsafeMutableBufferPointer { scores in
                    let s = scores.baseAddress!, inverseSums = s + rowsPerTile * tokens
                    for head in 0..<headCount {
                        let q = qkv.baseAddress! + head * headWidth
                        let k = q + dimension, v = q + 2 * dimension
                        for start in stride(from: 0, to: tokens, by: rowsPerTile) {
                            let rows = min(rowsPerTile, tokens - start)
                            BLAS.sgemm(
                                q + start * width, lda: width, k, ldb: width, into: s, ldc: tokens,
                                m: rows, n: tokens, k: headWidth, transposeB: true, alpha: scale)
                            PointMAEKernels.exponentiateRows(s, rows: rows, width: tokens, inverseSums: inverseSums)
                            let o = out.baseAddress! + start * dimension + head * headWidth
                            BLAS.sgemm(
                                s, lda: tokens, v, ldb: width, into: o, ldc: dimension, m: rows, n: headWidth, k: tokens,
                                transposeB: false)
                            for r in 0..<rows {
                                let scale = inverseSums[r]
                                for c in 0..<headWidth { o[r * dimension + c] *= scale }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Adds the parameters under `name` to `parameters`.
    func collect(into parameters: inout [String: Tensor], _ name: String) {
        qkv.collect(into: &parameters, "\(name).qkv")
        proj.collect(into: &parameters, "\(name).proj")
    }
}

/// One pre-norm transformer block ([PM] `Block`; §4), with pos added to its input:
/// `h = x + pos`, `u = h + Attn(LN1(h))`, `out = u + fc2(GELU(fc1(LN2(u))))`.
struct PointMAEBlock: Sendable {
    let norm1: PointMAELayerNorm, attention: PointMAEAttention, norm2: PointMAELayerNorm
    let fc1: PointMAELinear, fc2: PointMAELinear
    let name: String

    /// Declares block `index` (`encoder.blocks.<index>.*`) with `source`.
    init(_ source: inout PointMAEParameterSource, index: Int, configuration: PointMAEConfiguration) {
        let (d, eps) = (configuration.dimension, configuration.layerNormEpsilon)
        let hidden = PointMAEConfiguration.mlpRatio * d
        name = "encoder.blocks.\(index)"
        norm1 = PointMAELayerNorm(&source, "\(name).norm1", width: d, epsilon: eps)
        attention = PointMAEAttention(&source, "\(name).attn", dimension: d, headCount: configuration.headCount)
        norm2 = PointMAELayerNorm(&source, "\(name).norm2", width: d, epsilon: eps)
        fc1 = PointMAELinear(&source, "\(name).mlp.fc1", inputs: d, outputs: hidden)
        fc2 = PointMAELinear(&source, "\(name).mlp.fc2", inputs: hidden, outputs: d)
    }

    /// The block output `[G, D]` for the residual stream `x` and positional embedding `pos`.
    func callAsFunction(_ x: Tensor, pos: Tensor) -> Tensor {
        var stream = x + pos
        attention.accumulate(norm1(stream), into: &stream)
        var hidden = fc1(norm2(stream))
        hidden.formGELU()
        fc2.accumulate(hidden, into: &stream)
        return stream
    }

    /// Adds the parameters to `parameters`.
    func collect(into parameters: inout [String: Tensor]) {
        norm1.collect(into: &parameters, "\(name).norm1")
        attention.collect(into: &parameters, "\(name).attn")
        norm2.collect(into: &parameters, "\(name).norm2")
        fc1.collect(into: &parameters, "\(name).mlp.fc1")
        fc2.collect(into: &parameters, "\(name).mlp.fc2")
    }
}
