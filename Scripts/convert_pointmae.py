#!/usr/bin/env python3
"""Convert an official Point-MAE checkpoint to an ad3d encoder checkpoint (safetensors).

Reads the `pretrain.pth` of Pang-Yatian/Point-MAE (a torch.save dict whose `base_model` entry is the
state dict; keys with or without the DataParallel `module.` prefix) and writes the encoder tensors
under the clean parameter names that ad3d uses:

  MAE_encoder.encoder.first_conv.0.*   -> encoder.patch.conv1.*   (Conv1d weight [128,3,1] -> [128,3])
  MAE_encoder.encoder.first_conv.1.*   -> encoder.patch.bn1.*     (num_batches_tracked dropped)
  MAE_encoder.encoder.first_conv.3.*   -> encoder.patch.conv2.*
  MAE_encoder.encoder.second_conv.0.*  -> encoder.patch.conv3.*
  MAE_encoder.encoder.second_conv.1.*  -> encoder.patch.bn2.*
  MAE_encoder.encoder.second_conv.3.*  -> encoder.patch.conv4.*
  MAE_encoder.pos_embed.{0,2}.*        -> encoder.pos.fc{1,2}.*
  MAE_encoder.blocks.blocks.i.*        -> encoder.blocks.i.*
  MAE_encoder.norm.*                   -> encoder.norm.*

BatchNorm stays unfolded (ad3d folds it, in double precision, when it loads the file). With
--with-decoder the pretraining-only tensors are kept too: mask_token -> decoder.mask_token [D],
decoder_pos_embed.{0,2} -> decoder.pos.fc{1,2}, MAE_decoder.blocks.i -> decoder.blocks.i,
MAE_decoder.norm -> decoder.norm, increase_dim.0 -> decoder.head ([3K,D]).

The number of heads cannot be read from the weights; pass --heads if it is not the official 6.

Needs: numpy, safetensors, and torch (only to read the .pth file).
Example: python3 Scripts/convert_pointmae.py pretrain.pth pointmae.safetensors
"""
import argparse
import re
import sys

import numpy as np

FORMAT = "pointmae-encoder-v1"
EPSILON = "1e-05"

_BLOCK_PARTS = r"(norm1\.(?:weight|bias)|attn\.qkv\.weight|attn\.proj\.(?:weight|bias)|norm2\.(?:weight|bias)" \
               r"|mlp\.fc[12]\.(?:weight|bias))"
_BN = r"(weight|bias|running_mean|running_var)"

# (official-name pattern, clean-name template, squeeze the trailing Conv1d kernel axis)
ENCODER_RULES = [
    (r"MAE_encoder\.encoder\.first_conv\.0\.(weight|bias)", r"encoder.patch.conv1.\1", True),
    (r"MAE_encoder\.encoder\.first_conv\.1\." + _BN, r"encoder.patch.bn1.\1", False),
    (r"MAE_encoder\.encoder\.first_conv\.3\.(weight|bias)", r"encoder.patch.conv2.\1", True),
    (r"MAE_encoder\.encoder\.second_conv\.0\.(weight|bias)", r"encoder.patch.conv3.\1", True),
    (r"MAE_encoder\.encoder\.second_conv\.1\." + _BN, r"encoder.patch.bn2.\1", False),
    (r"MAE_encoder\.encoder\.second_conv\.3\.(weight|bias)", r"encoder.patch.conv4.\1", True),
    (r"MAE_encoder\.pos_embed\.0\.(weight|bias)", r"encoder.pos.fc1.\1", False),
    (r"MAE_encoder\.pos_embed\.2\.(weight|bias)", r"encoder.pos.fc2.\1", False),
    (r"MAE_encoder\.blocks\.blocks\.(\d+)\." + _BLOCK_PARTS, r"encoder.blocks.\1.\2", False),
    (r"MAE_encoder\.norm\.(weight|bias)", r"encoder.norm.\1", False),
]
DECODER_RULES = [
    (r"mask_token", r"decoder.mask_token", False),
    (r"decoder_pos_embed\.0\.(weight|bias)", r"decoder.pos.fc1.\1", False),
    (r"decoder_pos_embed\.2\.(weight|bias)", r"decoder.pos.fc2.\1", False),
    (r"MAE_decoder\.blocks\.(\d+)\." + _BLOCK_PARTS, r"decoder.blocks.\1.\2", False),
    (r"MAE_decoder\.norm\.(weight|bias)", r"decoder.norm.\1", False),
    (r"increase_dim\.0\.(weight|bias)", r"decoder.head.\1", True),
]
DROPPED = re.compile(r".*\.num_batches_tracked")


class ConversionError(Exception):
    """The state dict does not have the official Point-MAE layout."""


def _apply(rules, key):
    for pattern, template, squeeze in rules:
        match = re.fullmatch(pattern, key)
        if match:
            return match.expand(template), squeeze
    return None


def clean_state_dict(state, with_decoder=False):
    """Maps an official state dict (name -> numpy array) to clean names; returns (tensors, skipped keys).

    Accepts keys with or without `module.`; squeezes Conv1d kernels; drops num_batches_tracked;
    flattens mask_token [1,1,D] to [D]. Raises ConversionError for keys it does not know.
    """
    clean, skipped, unknown = {}, [], []
    for key, value in state.items():
        name = key[len("module."):] if key.startswith("module.") else key
        if DROPPED.fullmatch(name):
            continue
        mapped = _apply(ENCODER_RULES, name)
        if mapped is None:
            decoder = _apply(DECODER_RULES, name)
            if decoder is None:
                unknown.append(key)
                continue
            if not with_decoder:
                skipped.append(key)
                continue
            mapped = decoder
        target, squeeze = mapped
        array = np.asarray(value, dtype=np.float32)
        if squeeze and target.endswith(".weight"):
            if array.ndim != 3 or array.shape[2] != 1:
                raise ConversionError(f"{key}: expected a Conv1d weight [out, in, 1], got {list(array.shape)}")
            array = array[:, :, 0]
        if target == "decoder.mask_token":
            array = array.reshape(-1)
        if target in clean:
            raise ConversionError(f"{key}: maps to {target}, which another key already produced")
        clean[target] = np.ascontiguousarray(array)
    if unknown:
        raise ConversionError("not a Point-MAE state dict; unknown keys: " + ", ".join(sorted(unknown)[:20]))
    return clean, skipped


def metadata_for(clean, heads, source):
    """The checkpoint metadata (string -> string) of a cleaned encoder state dict."""
    if "encoder.norm.weight" not in clean or "encoder.patch.conv4.weight" not in clean:
        raise ConversionError("the state dict has no Point-MAE encoder (MAE_encoder.norm / second_conv missing)")
    dim = clean["encoder.norm.weight"].shape[0]
    depth = len({int(m.group(1)) for k in clean for m in [re.match(r"encoder\.blocks\.(\d+)\.", k)] if m})
    if dim % heads != 0:
        raise ConversionError(f"--heads {heads} does not divide the width {dim}")
    return {
        "format": FORMAT, "dim": str(dim), "depth": str(depth), "heads": str(heads),
        "encoder_dims": str(clean["encoder.patch.conv4.weight"].shape[0]),
        "bn_eps": EPSILON, "ln_eps": EPSILON, "gelu": "erf", "source": source,
    }


def write_checkpoint(clean, metadata, path, dtype="float32"):
    """Writes the tensors as safetensors in `dtype` (float32 or float16) with `metadata`."""
    from safetensors.numpy import save_file

    save_file({k: v.astype(dtype) for k, v in sorted(clean.items())}, path, metadata=metadata)


def load_official_state_dict(path, trust_pickle=False):
    """The `base_model` state dict of a torch.save checkpoint as name -> float32 numpy array."""
    import torch

    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=not trust_pickle)
    except Exception as error:  # torch raises several types for refused or broken pickles
        raise ConversionError(
            f"{path}: cannot load ({error}); if you trust the file, retry with --trust-pickle") from error
    state = checkpoint.get("base_model", checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict) or not all(hasattr(v, "shape") for v in state.values()):
        raise ConversionError(f"{path}: no 'base_model' state dict in the checkpoint")
    return {k: v.detach().cpu().float().numpy() if v.is_floating_point() else v.cpu().numpy() for k, v in state.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Convert an official Point-MAE pretrain.pth to an ad3d encoder checkpoint (safetensors).",
        epilog=__doc__.split("\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="the official checkpoint (pretrain.pth) or a saved state dict")
    parser.add_argument("output", help="the .safetensors file to write")
    parser.add_argument("--heads", type=int, default=6, help="attention heads of the model (default: 6, the official)")
    parser.add_argument("--with-decoder", action="store_true", help="also keep the pretraining decoder tensors")
    parser.add_argument("--dtype", choices=["float32", "float16"], default="float32", help="stored precision")
    parser.add_argument("--source", default=None, help="the 'source' metadata value (default: the input file name)")
    parser.add_argument("--trust-pickle", action="store_true",
                        help="load with torch.load(weights_only=False); only for files you trust")
    args = parser.parse_args(argv)
    try:
        state = load_official_state_dict(args.input, args.trust_pickle)
        clean, skipped = clean_state_dict(state, args.with_decoder)
        metadata = metadata_for(clean, args.heads, args.source or args.input.split("/")[-1])
        write_checkpoint(clean, metadata, args.output, args.dtype)
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(clean)} tensors ({metadata['dim']} wide, {metadata['depth']} blocks) to {args.output}"
          + (f"; skipped {len(skipped)} decoder tensors" if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
