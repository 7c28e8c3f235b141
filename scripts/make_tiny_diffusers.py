"""Build a tiny, randomly initialised Stable Diffusion img2img pipeline in a local directory.

No Stable Diffusion weights can be fetched here (hubs are unreachable, none are on PyPI), so tests
and demos use this ~7 MB pipeline: the real diffusers classes and file layout, random weights. Its
output is coloured noise shaped by the input photo, which is enough to exercise every code path of
`core.pixelart.stylize.DiffusionStylizer` (loading, img2img, seeding, alpha re-application).

Usage: .venv/bin/python scripts/make_tiny_diffusers.py OUT_DIR [--seed N]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from core.pixelart.stylize import DEFAULT_PROMPT, NEGATIVE_PROMPT, STYLE_PROMPTS


def _prompt_words() -> list[str]:
    """Every word of the stylizer's prompts gets a token, so no prompt overflows CLIP's 77."""
    text = " ".join([DEFAULT_PROMPT, NEGATIVE_PROMPT, *STYLE_PROMPTS.values()]).lower()
    return sorted({w for w in re.findall(r"[a-z]+", text) if len(w) > 1})


def _byte_chars() -> list[str]:
    """GPT-2/CLIP's byte-to-unicode table: the 256 symbols byte-level BPE works on."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1)]
    printable += range(ord("®"), ord("ÿ") + 1)
    chars, extra = [], 0
    for byte in range(256):
        if byte in printable:
            chars.append(chr(byte))
        else:
            chars.append(chr(256 + extra))
            extra += 1
    return chars


def _vocab_and_merges() -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A small CLIP-style BPE vocabulary: every byte, every byte at a word end, a few words."""
    tokens = ["<|startoftext|>", "<|endoftext|>"]
    symbols = _byte_chars()
    tokens += symbols + [f"{s}</w>" for s in symbols]
    merges: list[tuple[str, str]] = []
    for word in _prompt_words():
        # Merge left to right: "p i" -> "pi", "pi x" -> "pix", ... ending on the "</w>" form.
        pieces = [*word[:-1], f"{word[-1]}</w>"]
        left = pieces[0]
        for right in pieces[1:]:
            merges.append((left, right))
            left += right
            tokens.append(left)
    vocab = {tok: i for i, tok in enumerate(dict.fromkeys(tokens))}
    return vocab, list(dict.fromkeys(merges))


def tiny_components(seed: int = 0) -> dict[str, Any]:
    """The pipeline parts with the smallest shapes diffusers accepts (sizes from FACTS.md)."""
    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        norm_num_groups=32,
    )
    vae = AutoencoderKL(
        block_out_channels=(32, 64),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        norm_num_groups=32,
    )
    vocab, merges = _vocab_and_merges()
    text_config = CLIPTextConfig(
        vocab_size=max(1000, len(vocab)),
        hidden_size=32,
        intermediate_size=37,
        num_attention_heads=4,
        num_hidden_layers=2,
        max_position_embeddings=77,
        bos_token_id=vocab["<|startoftext|>"],
        eos_token_id=vocab["<|endoftext|>"],
        pad_token_id=vocab["<|endoftext|>"],
    )
    return {
        "unet": unet,
        "vae": vae,
        "text_encoder": CLIPTextModel(text_config),
        "tokenizer": CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=77),
        "scheduler": DDIMScheduler(
            beta_start=0.00085,
            beta_end=0.012,
            beta_schedule="scaled_linear",
            clip_sample=False,
            set_alpha_to_one=False,
            steps_offset=1,  # what SD 1.x ships; 0 triggers a deprecation warning on load
        ),
    }


def build_tiny_pipeline(out_dir: Path, *, seed: int = 0) -> Path:
    """Save a random StableDiffusionImg2ImgPipeline to out_dir (a normal diffusers directory)."""
    from diffusers import StableDiffusionImg2ImgPipeline

    pipe = StableDiffusionImg2ImgPipeline(
        **tiny_components(seed),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    pipe.save_pretrained(out_dir)
    return out_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    path = build_tiny_pipeline(args.out_dir, seed=args.seed)
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    sys.stdout.write(f"Tiny img2img pipeline written to {path} ({size / 1e6:.1f} MB)\n")


if __name__ == "__main__":
    main()
