#!/usr/bin/env python3
"""The bert-base / vit-base sub-network written directly in PyTorch, timed at
batch 1 on the CPU or on CUDA: the reference `nasctl evaluate` with the `measure` model
is compared with (encoder_vs_pytorch.sh).

Same networks as plugins/spaces/bert-vit lowers. Heads are 64 wide as in
DyNAS-T's super-networks: h heads project 768 -> 64h for q, k and v (with
bias) and 64h -> 768 back. BERT (post-norm): word + learned position +
token-type (type 0) embeddings, LayerNorm; x = LN(x + attn(x)),
x = LN(x + ffn(x)) with a GELU FFN; pooler tanh(W x[0] + b); classifier.
ViT-B/16 (pre-norm, torchvision's layout): 16x16 stride-16 convolution,
class token, learned positions; x = x + attn(LN(x)), x = x + ffn(LN(x));
final LN, class token, head. Timed in the forms of pytorch_timing.py.

  python3 bench/spaces/encoder_pytorch.py --space bert-base --arch 'l=12;h=...;i=...' \
      --sequence 128 --threads 1 --repeats 10 [--device cuda]
"""
import argparse
import math

import torch
from torch import nn

import pytorch_timing

WIDTH, HEAD = 768, 64


def parse_arch(text):
    values = {}
    for part in text.split(";"):
        key, vals = part.split("=")
        values[key] = [None if v == "-" else int(v) for v in vals.split(",")]
    return values["l"][0], values["h"], values["i"]


class Attention(nn.Module):
    def __init__(self, heads, tokens):
        super().__init__()
        d = heads * HEAD
        self.q, self.k, self.v = nn.Linear(WIDTH, d), nn.Linear(WIDTH, d), nn.Linear(WIDTH, d)
        self.out = nn.Linear(d, WIDTH)
        self.heads, self.tokens, self.width, self.head = heads, tokens, d, HEAD
        self.scale = 1.0 / math.sqrt(HEAD)

    def forward(self, x):
        split = [-1, self.tokens, self.heads, self.head]
        q = (self.q(x) * self.scale).reshape(split).transpose(1, 2)
        k = self.k(x).reshape(split).transpose(1, 2)
        v = self.v(x).reshape(split).transpose(1, 2)
        s = torch.matmul(q, k.transpose(2, 3))
        a = torch.matmul(torch.softmax(s, -1), v).transpose(1, 2).reshape(-1, self.tokens, self.width)
        return self.out(a)


class FFN(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(WIDTH, hidden), nn.Linear(hidden, WIDTH)

    def forward(self, x):
        return self.fc2(nn.functional.gelu(self.fc1(x)))


class Bert(nn.Module):
    def __init__(self, arch, tokens, vocab, classes):
        super().__init__()
        layers, heads, ffn = arch
        self.word = nn.Embedding(vocab, WIDTH)
        self.position = nn.Parameter(torch.randn(512, WIDTH) * 0.1)
        self.token_type = nn.Parameter(torch.randn(2, WIDTH) * 0.1)
        self.norm = nn.LayerNorm(WIDTH)
        self.attn = nn.ModuleList([Attention(heads[i], tokens) for i in range(layers)])
        self.attn_norm = nn.ModuleList([nn.LayerNorm(WIDTH) for _ in range(layers)])
        self.ffn = nn.ModuleList([FFN(ffn[i]) for i in range(layers)])
        self.ffn_norm = nn.ModuleList([nn.LayerNorm(WIDTH) for _ in range(layers)])
        self.pooler = nn.Linear(WIDTH, WIDTH)
        self.classifier = nn.Linear(WIDTH, classes)
        self.tokens = tokens

    def forward(self, ids):
        x = self.word(ids) + self.position[: self.tokens] + self.token_type[0:1]
        x = self.norm(x)
        for attn, an, ffn, fn in zip(self.attn, self.attn_norm, self.ffn, self.ffn_norm):
            x = an(x + attn(x))
            x = fn(x + ffn(x))
        return self.classifier(torch.tanh(self.pooler(x[:, 0:1])))


class Vit(nn.Module):
    def __init__(self, arch, image, classes):
        super().__init__()
        layers, heads, ffn = arch
        tokens = (image // 16) ** 2 + 1
        self.patch = nn.Conv2d(3, WIDTH, 16, 16)
        self.cls = nn.Parameter(torch.randn(1, 1, WIDTH))
        self.position = nn.Parameter(torch.randn(tokens, WIDTH) * 0.1)
        self.attn_norm = nn.ModuleList([nn.LayerNorm(WIDTH) for _ in range(layers)])
        self.attn = nn.ModuleList([Attention(heads[i], tokens) for i in range(layers)])
        self.ffn_norm = nn.ModuleList([nn.LayerNorm(WIDTH) for _ in range(layers)])
        self.ffn = nn.ModuleList([FFN(ffn[i]) for i in range(layers)])
        self.norm = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, classes)
        self.width = WIDTH

    def forward(self, image):
        x = self.patch(image).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.size(0), 1, self.width), x], 1) + self.position
        for an, attn, fn, ffn in zip(self.attn_norm, self.attn, self.ffn_norm, self.ffn):
            x = x + attn(an(x))
            x = x + ffn(fn(x))
        return self.head(self.norm(x)[:, 0:1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--space", choices=["bert-base", "vit-base"], required=True)
    p.add_argument("--arch", required=True, help="canonical string, 'l=..;h=..;i=..'")
    p.add_argument("--sequence", type=int, default=128)
    p.add_argument("--vocab", type=int, default=30522)
    p.add_argument("--image", type=int, default=224)
    p.add_argument("--classes", type=int, default=0, help="default: 2 (bert-base), 1000 (vit-base)")
    pytorch_timing.add_arguments(p, warmup=3, repeats=10)
    args = p.parse_args()
    torch.manual_seed(0)
    arch = parse_arch(args.arch)
    if args.space == "bert-base":
        model = Bert(arch, args.sequence, args.vocab, args.classes or 2).eval()
        x = torch.randint(0, args.vocab, (1, args.sequence))
    else:
        model = Vit(arch, args.image, args.classes or 1000).eval()
        x = torch.randn(1, 3, args.image, args.image)
    pytorch_timing.report(model, x, args)


if __name__ == "__main__":
    main()
