"""The ganvas GAN in PyTorch, for a side-by-side native speed comparison with `ganvas train`.

Same networks (presets tiny, standard and conv, the standard and conv Ds on pairs of digits), same
init scheme (U(±1/√fan_in), PyTorch's own default for Linear, Conv2d and ConvTranspose2d, which
ganvas copies), BCE on logits, Adam(2e-4, β 0.5/0.999),
batch 64, real digits drawn from MNIST on the host each step, one D step on real+fake in one
forward pass, then one G step through a frozen D; losses read back every 100 steps.

Usage: python bench-torch.py PRESET ITERS THREADS DATA.gz   → prints "<it/s>"
"""
import gzip
import struct
import sys
import time
import warnings

warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
import torch  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

PRESETS = {"tiny": ([256], [256], 1), "standard": ([256, 512, 1024], [1024, 512, 256], 2)}
# DCGAN: G z→7·7·64→(4×4 stride-2 transposed conv)14·14·32→28·28, D 28·28·2→14·14·32→7·7·64→1.
CONV = {"conv": ([64, 32], [32, 64], 2)}


def conv_nets(g, d, pack):
    """ganvas's conv preset: LeakyReLU 0.2, no normalisation, tanh out, pairs as channels."""
    act = lambda: nn.LeakyReLU(0.2)  # noqa: E731
    G = nn.Sequential(
        nn.Linear(100, g[0] * 49), act(), nn.Unflatten(1, (g[0], 7, 7)),
        nn.ConvTranspose2d(g[0], g[1], 4, 2, 1), act(),
        nn.ConvTranspose2d(g[1], 1, 4, 2, 1), nn.Flatten(), nn.Tanh(),
    )
    D = nn.Sequential(
        nn.Unflatten(1, (pack, 28, 28)),
        nn.Conv2d(pack, d[0], 4, 2, 1), act(),
        nn.Conv2d(d[0], d[1], 4, 2, 1), act(),
        nn.Flatten(), nn.Linear(d[1] * 49, 1),
    )
    return G, D


def mlp(widths, out):
    layers = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        layers.append(nn.Linear(a, b))
        layers.append(nn.LeakyReLU(0.2) if i < len(widths) - 2 else out)
    return nn.Sequential(*layers)


def load(path):
    raw = gzip.open(path).read()
    _, n, rows, cols = struct.unpack(">IIII", raw[:16])
    return torch.frombuffer(bytearray(raw[16 : 16 + n * rows * cols]), dtype=torch.uint8).view(n, rows * cols)


def main():
    preset, iters, threads, data = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    images = load(data)
    if preset in CONV:
        G, D = conv_nets(*CONV[preset])
        pack = CONV[preset][2]
    else:
        g_hidden, d_hidden, pack = PRESETS[preset]
        G = mlp([100, *g_hidden, 784], nn.Tanh())
        D = mlp([784 * pack, *d_hidden, 1], nn.Identity())
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    batch = 64
    ones = torch.ones(batch // pack, 1)
    zeros = torch.zeros(batch // pack, 1)

    def step():
        idx = torch.randint(0, images.shape[0], (batch,))
        real = images[idx].float() / 127.5 - 1
        with torch.no_grad():
            fake = G(torch.randn(batch, 100))
        logits = D(torch.cat([real, fake]).view(-1, 784 * pack))
        d_loss = F.binary_cross_entropy_with_logits(logits[: batch // pack], ones) + \
            F.binary_cross_entropy_with_logits(logits[batch // pack :], zeros)
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        D.requires_grad_(False)
        g_loss = F.binary_cross_entropy_with_logits(D(G(torch.randn(batch, 100)).view(-1, 784 * pack)), ones)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        D.requires_grad_(True)
        return torch.stack([d_loss.detach(), g_loss.detach()])

    for _ in range(min(20, iters)):
        step()
    start = time.perf_counter()
    pending = []
    for i in range(iters):
        pending.append(step())
        if len(pending) == 100 or i == iters - 1:
            values = torch.stack(pending).tolist()
            pending = []
            assert all(v == v for row in values for v in row), "non-finite loss"
    print(f"{iters / (time.perf_counter() - start):.1f}")


if __name__ == "__main__":
    main()
