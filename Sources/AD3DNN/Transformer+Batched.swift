import AD3DTensor

/// The transformer layers on a mini-batch of equally long sequences stacked as rows, so that every
/// row-wise layer (norms, projections, MLP) runs as one matrix product over the whole batch and
/// only attention is per sequence.
extension SelfAttention {
    /// `[B·T, d]` → `[B·T, d]` for `B` sequences of `sequenceLength` rows, each attending to itself.
    public func callAsFunction(_ x: Variable, sequenceLength: Int, _ scope: ParameterScope) -> Variable {
        let heads = qkv(x, scope.child("qkv")).multiHeadAttention(sequenceLength: sequenceLength, headCount: headCount)
        return proj(heads, scope.child("proj"))
    }
}

extension TransformerBlock {
    /// The block on `B` stacked sequences of `sequenceLength` rows, `[B·T, d]` → `[B·T, d]`.
    public func callAsFunction(_ x: Variable, sequenceLength: Int, _ scope: ParameterScope) -> Variable {
        let attended = x + attn(norm1(x, scope.child("norm1")), sequenceLength: sequenceLength, scope.child("attn"))
        return attended + mlp(norm2(attended, scope.child("norm2")), scope.child("mlp"))
    }
}
