#!/usr/bin/env python3
"""The Transformer-LT sub-network written directly in PyTorch, timed at batch 1
on the CPU or on CUDA: the reference `nasctl evaluate` with the `measure`
model is compared with (transformer_vs_pytorch.sh; docs/results.md).

Same network as plugins/spaces/transformer-lt lowers: post-norm fairseq
Transformer, q/k/v projections to HAT's qkv_dim 512 with bias, softmax
attention over heads (head dim 512/heads), causal decoder self-attention,
arbitrary encoder-decoder attention over the last 1/2/3 encoder layers joined
along the tokens, ReLU FFN, embeddings scaled by sqrt(width) plus sinusoidal
positions, output projection without bias. Timed in the forms of
pytorch_timing.py.

  python3 bench/spaces/transformer_pytorch.py --arch 'ee=640;...' \
      --source 30 --target 30 --vocab 32768 --threads 1 --repeats 30 [--device cuda]
"""
import argparse
import math

import torch
from torch import nn

import pytorch_timing

QKV = 512


def parse_arch(text):
    values = {}
    for part in text.split(";"):
        key, vals = part.split("=")
        values[key] = [None if v == "-" else int(v) for v in vals.split(",")]
    return values


class Attention(nn.Module):
    def __init__(self, width, kv_width, heads, causal, tq, tk):
        super().__init__()
        self.q = nn.Linear(width, QKV)
        self.k = nn.Linear(kv_width, QKV)
        self.v = nn.Linear(kv_width, QKV)
        self.out = nn.Linear(QKV, width)
        self.norm = nn.LayerNorm(width)
        self.heads, self.tq, self.tk, self.qkv = heads, tq, tk, QKV
        self.scale = 1.0 / math.sqrt(QKV // heads)
        mask = torch.full((tq, tk), float("-inf")).triu(1) if causal else torch.zeros(0)
        self.register_buffer("mask", mask)
        self.causal = causal

    def forward(self, x, memory):
        d = self.qkv // self.heads
        q = (self.q(x) * self.scale).reshape(-1, self.tq, self.heads, d).transpose(1, 2)
        k = self.k(memory).reshape(-1, self.tk, self.heads, d).transpose(1, 2)
        v = self.v(memory).reshape(-1, self.tk, self.heads, d).transpose(1, 2)
        s = torch.matmul(q, k.transpose(2, 3))
        if self.causal:
            s = s + self.mask
        a = torch.matmul(torch.softmax(s, -1), v).transpose(1, 2).reshape(-1, self.tq, self.qkv)
        return self.norm(x + self.out(a))


class FFN(nn.Module):
    def __init__(self, width, hidden):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)
        self.norm = nn.LayerNorm(width)

    def forward(self, x):
        return self.norm(x + self.fc2(torch.relu(self.fc1(x))))


def positions(tokens, features):
    half = features // 2
    freq = torch.exp(torch.arange(half, dtype=torch.float) * -(math.log(10000.0) / (half - 1)))
    pos = torch.arange(2, tokens + 2, dtype=torch.float).unsqueeze(1) * freq.unsqueeze(0)
    return torch.cat([torch.sin(pos), torch.cos(pos)], 1)


class Embedding(nn.Module):
    def __init__(self, vocab, width, first, tokens):
        super().__init__()
        self.table = nn.Embedding(vocab, width)
        self.first, self.tokens, self.scale = first, tokens, math.sqrt(width)
        self.register_buffer("pos", positions(tokens, width))

    def forward(self, ids):
        return self.table(ids.narrow(1, self.first, self.tokens)) * self.scale + self.pos


class TransformerLT(nn.Module):
    def __init__(self, a, src, tgt, vocab):
        super().__init__()
        e, d = a["ee"][0], a["de"][0]
        self.src_embed = Embedding(vocab, e, 0, src)
        self.enc_attn = nn.ModuleList([Attention(e, e, a["eh"][i], False, src, src) for i in range(6)])
        self.enc_ffn = nn.ModuleList([FFN(e, a["ef"][i]) for i in range(6)])
        layers = a["dl"][0]
        self.attended = [1 if a["ca"][i] < 0 else a["ca"][i] + 1 for i in range(layers)]
        self.tgt_embed = Embedding(vocab, d, src, tgt)
        self.dec_self = nn.ModuleList([Attention(d, d, a["dh"][i], True, tgt, tgt) for i in range(layers)])
        self.dec_cross = nn.ModuleList(
            [Attention(d, e, a["ch"][i], False, tgt, src * self.attended[i]) for i in range(layers)])
        self.dec_ffn = nn.ModuleList([FFN(d, a["df"][i]) for i in range(layers)])
        self.project = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        x = self.src_embed(ids)
        outs = []
        for attn, ffn in zip(self.enc_attn, self.enc_ffn):
            x = ffn(attn(x, x))
            outs.append(x)
        y = self.tgt_embed(ids)
        for i, (self_attn, cross, ffn) in enumerate(zip(self.dec_self, self.dec_cross, self.dec_ffn)):
            y = self_attn(y, y)
            n = self.attended[i]
            memory = outs[-1] if n == 1 else torch.cat(outs[-n:], 1)
            y = ffn(cross(y, memory))
        return self.project(y)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--arch", required=True, help="canonical transformer-lt string")
    p.add_argument("--source", type=int, default=30)
    p.add_argument("--target", type=int, default=30)
    p.add_argument("--vocab", type=int, default=32768)
    pytorch_timing.add_arguments(p, warmup=5, repeats=30)
    args = p.parse_args()
    torch.manual_seed(0)
    model = TransformerLT(parse_arch(args.arch), args.source, args.target, args.vocab).eval()
    ids = torch.randint(0, args.vocab, (1, args.source + args.target))
    pytorch_timing.report(model, ids, args)


if __name__ == "__main__":
    main()
