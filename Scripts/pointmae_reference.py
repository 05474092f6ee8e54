#!/usr/bin/env python3
"""PyTorch reference of the Point-MAE encoder and the parity fixture for the Swift port.

The modules follow the official structure and names of Pang-Yatian/Point-MAE (models/Point_MAE.py),
so that `state_dict()` has the official layout
(`MAE_encoder.encoder.first_conv.0.weight`, ...). The anomaly-detection features follow the
M3DM / Real3D-AD `PointTransformer`: no masking, eval mode, taps normed by the shared
final LayerNorm and concatenated.

Running it:
  1. checks the converter (Scripts/convert_pointmae.py) on the official-size model: 209 state-dict
     keys (156 encoder), 154 clean encoder tensors (207 with --with-decoder), parameter counts of
     section 8, and a full pretrain.pth round trip through `torch.save` with `module.` prefixes;
  2. writes Tests/AD3DKitTests/Resources/pointmae/parity_* for a small model (D 96, L 3, H 3,
     G 32, K 16): random weights with non-trivial BatchNorm statistics, biases and LayerNorm
     affines, rounded to float16 (the stored precision, to keep the fixture small), converted to
     clean names with the converter, plus centres, neighbourhoods, tokens, positions and features.

Needs: pip install torch numpy safetensors
"""
import math
import os
import sys
import tempfile

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import convert_pointmae  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AD3DKitTests", "Resources", "pointmae")


class Encoder(nn.Module):
    """Mini-PointNet patch encoder: one token of width C per group of K relative points."""

    def __init__(self, encoder_channel):
        super().__init__()
        self.first_conv = nn.Sequential(nn.Conv1d(3, 128, 1), nn.BatchNorm1d(128), nn.ReLU(inplace=True), nn.Conv1d(128, 256, 1))
        self.second_conv = nn.Sequential(
            nn.Conv1d(512, 512, 1), nn.BatchNorm1d(512), nn.ReLU(inplace=True), nn.Conv1d(512, encoder_channel, 1))
        self.encoder_channel = encoder_channel

    def forward(self, groups):  # [B, G, K, 3] -> [B, G, C]
        b, g, k, _ = groups.shape
        x = groups.reshape(b * g, k, 3).transpose(2, 1)
        f = self.first_conv(x)  # [BG, 256, K]
        pooled = torch.max(f, dim=2, keepdim=True)[0]
        x = torch.cat([pooled.expand(-1, -1, k), f], dim=1)  # global first, then per point
        x = self.second_conv(x)
        return torch.max(x, dim=2)[0].reshape(b, g, self.encoder_channel)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1, self.act, self.fc2 = nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.qkv, self.proj = nn.Linear(dim, 3 * dim, bias=False), nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attention = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
        return self.proj((attention @ v).transpose(1, 2).reshape(b, n, c))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(dim), Attention(dim, heads)
        self.norm2, self.mlp = nn.LayerNorm(dim), Mlp(dim, 4 * dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TransformerEncoder(nn.Module):
    def __init__(self, dim, depth, heads):
        super().__init__()
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])

    def forward(self, x, pos):
        for block in self.blocks:
            x = block(x + pos)
        return x


class MaskTransformer(nn.Module):
    def __init__(self, dim, depth, heads):
        super().__init__()
        self.encoder = Encoder(dim)
        self.pos_embed = nn.Sequential(nn.Linear(3, 128), nn.GELU(), nn.Linear(128, dim))
        self.blocks = TransformerEncoder(dim, depth, heads)
        self.norm = nn.LayerNorm(dim)
        self.apply(_init_weights)


class TransformerDecoder(nn.Module):
    def __init__(self, dim, depth, heads):
        super().__init__()
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Identity()
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias) if m.bias is not None else None


class PointMAE(nn.Module):
    """The pretraining model: its state dict has the layout of the released pretrain.pth."""

    def __init__(self, dim=384, depth=12, heads=6, group_size=32):
        super().__init__()
        self.MAE_encoder = MaskTransformer(dim, depth, heads)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.decoder_pos_embed = nn.Sequential(nn.Linear(3, 128), nn.GELU(), nn.Linear(128, dim))
        self.MAE_decoder = TransformerDecoder(dim, 4, 6 if dim % 6 == 0 else heads)
        self.increase_dim = nn.Sequential(nn.Conv1d(dim, 3 * group_size, 1))
        nn.init.trunc_normal_(self.mask_token, std=0.02)


def _init_weights(m):
    if isinstance(m, (nn.Linear, nn.Conv1d)):
        nn.init.trunc_normal_(m.weight, std=0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.LayerNorm):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)


def ad_features(encoder, centers, neighborhoods, taps):
    """M3DM / Real3D-AD features: taps of the block outputs, each through the shared final norm."""
    tokens = encoder.encoder(neighborhoods)
    pos = encoder.pos_embed(centers)
    x, tapped = tokens, []
    for i, block in enumerate(encoder.blocks.blocks):
        x = block(x + pos)
        if i in taps:
            tapped.append(encoder.norm(x))
    return tokens, pos, torch.cat(tapped, dim=-1)


def default_taps(depth):
    return sorted({t for t in (depth // 3 - 1, 2 * depth // 3 - 1, depth - 1) if t >= 0})


def check_converter():
    """Key and parameter counts of the official-size model and a pretrain.pth round trip."""
    torch.manual_seed(0)
    model = PointMAE()
    state = model.state_dict()
    encoder_keys = [k for k in state if k.startswith("MAE_encoder.")]
    assert len(state) == 209 and len(encoder_keys) == 156, (len(state), len(encoder_keys))
    learned = sum(p.numel() for p in model.MAE_encoder.parameters())
    assert learned == 21_825_024 and sum(p.numel() for p in model.parameters()) == 29_006_432, learned
    assert sum(p.numel() for p in MaskTransformer(192, 6, 3).parameters()) == 3_087_360
    numpy_state = {k: v.numpy() for k, v in state.items()}
    clean, skipped = convert_pointmae.clean_state_dict(numpy_state)
    assert len(clean) == 154 and len(skipped) == 53, (len(clean), len(skipped))
    assert clean["encoder.patch.conv3.weight"].shape == (512, 512)
    full, _ = convert_pointmae.clean_state_dict(numpy_state, with_decoder=True)
    assert len(full) == 154 + 53 and full["decoder.head.weight"].shape == (96, 384), len(full)
    assert full["decoder.mask_token"].shape == (384,)
    with tempfile.TemporaryDirectory() as directory:
        checkpoint = os.path.join(directory, "pretrain.pth")
        prefixed = {"module." + k: v for k, v in state.items()}
        torch.save({"base_model": prefixed, "epoch": 300, "optimizer": {}, "metrics": {}, "best_metrics": {}}, checkpoint)
        output = os.path.join(directory, "encoder.safetensors")
        assert convert_pointmae.main([checkpoint, output]) == 0
        from safetensors import safe_open

        with safe_open(output, "np") as f:
            assert f.metadata()["format"] == "pointmae-encoder-v1" and f.metadata()["depth"] == "12"
            assert f.metadata()["heads"] == "6" and f.metadata()["dim"] == "384"
            assert sorted(f.keys()) == sorted(clean)
            for name in clean:
                assert np.array_equal(f.get_tensor(name), clean[name]), name
        try:
            convert_pointmae.clean_state_dict({"something.else": np.zeros(1)})
            raise AssertionError("unknown keys accepted")
        except convert_pointmae.ConversionError:
            pass
    print("converter checks passed (209 keys, 156 encoder, 154 clean, 207 with decoder)")


def perturbed_fixture_model(dim, depth, heads, group_size):
    """A small model whose every parameter matters: weights of std 1/sqrt(fan_in) (keeping
    activations of order one), random biases, BatchNorm statistics and LayerNorm affines, all
    rounded to float16 (the stored precision)."""
    torch.manual_seed(1234)
    model = PointMAE(dim, depth, heads, group_size)
    encoder = model.MAE_encoder
    with torch.no_grad():
        for module in encoder.modules():
            if isinstance(module, (nn.Linear, nn.Conv1d)):
                fan_in = module.weight.shape[1]
                module.weight.normal_(0, 1 / math.sqrt(fan_in))
                if module.bias is not None:
                    module.bias.normal_(0, 0.1)
            elif isinstance(module, nn.LayerNorm):
                module.weight.uniform_(0.7, 1.3)
                module.bias.normal_(0, 0.1)
            elif isinstance(module, nn.BatchNorm1d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0, 0.2)
                module.running_mean.normal_(0, 0.3)
                module.running_var.uniform_(0.2, 2.0)
        for tensor in encoder.state_dict().values():
            if tensor.is_floating_point():
                tensor.copy_(tensor.half().float())
    return model.eval()


def write_fixture(dim=96, depth=3, heads=3, groups=32, group_size=16):
    model = perturbed_fixture_model(dim, depth, heads, group_size)
    encoder = model.MAE_encoder
    generator = np.random.default_rng(5)
    centers = generator.uniform(-0.8, 0.8, (groups, 3)).astype(np.float32)
    neighborhoods = (generator.standard_normal((groups, group_size, 3)) * 0.05).astype(np.float32)
    neighborhoods[:, 0, :] = 0  # each group contains its centre
    taps = default_taps(depth)
    with torch.no_grad():
        tokens, pos, features = ad_features(
            encoder, torch.from_numpy(centers)[None], torch.from_numpy(neighborhoods)[None], taps)
    state = {k: v.numpy() for k, v in model.state_dict().items()}
    clean, _ = convert_pointmae.clean_state_dict(state)
    metadata = convert_pointmae.metadata_for(clean, heads, "Scripts/pointmae_reference.py (random, seed 1234)")
    os.makedirs(OUT, exist_ok=True)
    weights_path = os.path.join(OUT, "parity_weights.safetensors")
    convert_pointmae.write_checkpoint(clean, metadata, weights_path, "float16")
    os.chmod(weights_path, 0o644)
    arrays = {"centers": centers, "neighborhoods": neighborhoods, "tokens": tokens[0].numpy(),
              "positions": pos[0].numpy(), "features": features[0].numpy()}
    for name, array in arrays.items():
        np.save(os.path.join(OUT, f"parity_{name}.npy"), np.ascontiguousarray(array, dtype=np.float32))
    print(f"fixture: D {dim}, L {depth}, H {heads}, G {groups}, K {group_size}, taps {taps}, "
          f"features {tuple(features[0].shape)}, |features| rms {features.pow(2).mean().sqrt():.3f}")


if __name__ == "__main__":
    torch.set_num_threads(1)
    check_converter()
    write_fixture()
