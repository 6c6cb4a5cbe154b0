#!/usr/bin/env python3
"""The PyTorch reference for bench/train.ts: one SAC and one SAC-AdaEnt update (batch 256,
observation 17, action 6) at 64x64 and 256x256, written as Tianshou/CleanRL do, single thread.
Prints one JSON line of CPU milliseconds per update (median of --reps repetitions) and the BLAS
library torch actually loaded ("blas", "blas_kind": openblas, reference or other).
Run with the system python and Debian's python3-torch + libopenblas0-pthread, with
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 (bench/train.ts sets them)."""
import json, os, statistics, sys, time
import torch
import torch.nn as nn

torch.set_num_threads(1)
REPS = int(sys.argv[sys.argv.index('--reps') + 1]) if '--reps' in sys.argv else 5
O, A, B = 17, 6, 256


def mlp(i, o, h):
    return nn.Sequential(nn.Linear(i, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, o))


class Actor(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.net = mlp(O, 2 * A, h)

    def forward(self, s):
        mu, ls = self.net(s).chunk(2, -1)
        ls = ls.clamp(-20, 2)
        u = mu + ls.exp() * torch.randn_like(mu)
        a = torch.tanh(u)
        logp = torch.distributions.Normal(mu, ls.exp()).log_prob(u).sum(-1) - torch.log(1 - a.pow(2) + torch.finfo(torch.float32).eps).sum(-1)
        return a, logp


def make(h, adaent):
    actor = Actor(h)
    pairs = [[mlp(O + A, 1, h), mlp(O + A, 1, h)] for _ in range(2 if adaent else 1)]
    targets = [[mlp(O + A, 1, h), mlp(O + A, 1, h)] for _ in pairs]
    for p, t in zip(pairs, targets):
        for q, qt in zip(p, t):
            qt.load_state_dict(q.state_dict())
    aopt = torch.optim.Adam(actor.parameters(), 1e-3)
    copts = [torch.optim.Adam(list(p[0].parameters()) + list(p[1].parameters()), 1e-3) for p in pairs]
    log_alpha = torch.zeros(1, requires_grad=True)
    alpha_opt = torch.optim.Adam([log_alpha], 1e-3)
    s, a, r, s2, d = torch.randn(B, O), torch.rand(B, A) * 2 - 1, torch.randn(B), torch.randn(B, O), torch.zeros(B)

    def q(pair, s_, a_):
        x = torch.cat([s_, a_], -1)
        return torch.min(pair[0](x), pair[1](x)).squeeze(-1)

    def update():
        alpha = log_alpha.exp().detach()
        with torch.no_grad():
            a2, lp2 = actor(s2)
            ys = [r + 0.99 * (1 - d) * (q(targets[0], s2, a2) - alpha * lp2)]
            if adaent:
                ys.append(r + 0.99 * (1 - d) * q(targets[1], s2, a2))
        for p, opt, y in zip(pairs, copts, ys):
            x = torch.cat([s, a], -1)
            loss = ((p[0](x).squeeze(-1) - y) ** 2).mean() + ((p[1](x).squeeze(-1) - y) ** 2).mean()
            opt.zero_grad(); loss.backward(); opt.step()
        act, lp = actor(s)
        qs = q(pairs[0], s, act)
        if adaent:
            with torch.no_grad():
                ss = s.repeat_interleave(100, 0)
                aa, _ = actor(ss)
                u = q(pairs[0], ss, aa).view(B, 100); v = q(pairs[1], ss, aa).view(B, 100)
                u = u - u.min(1, keepdim=True).values; v = v - v.min(1, keepdim=True).values
                c = (u * v).sum(1) / torch.clamp(u.norm(dim=1) * v.norm(dim=1), min=1e-8)
                mask = (c < 0.9).float()
            qs = mask * q(pairs[1], s, act) + (1 - mask) * qs
        aloss = (alpha * lp - qs).mean()
        aopt.zero_grad(); aloss.backward(); aopt.step()
        alpha_loss = -(log_alpha * (lp.detach() - A)).mean()
        alpha_opt.zero_grad(); alpha_loss.backward(); alpha_opt.step()
        with torch.no_grad():
            for p, t in zip(pairs, targets):
                for qn, qt in zip(p, t):
                    for w, wt in zip(qn.parameters(), qt.parameters()):
                        wt.mul_(0.995).add_(0.005 * w)

    return update


def loaded_blas():
    """The BLAS shared library mapped into this process (Debian picks it by update-alternatives)."""
    paths = set()
    with open('/proc/self/maps') as f:
        for line in f:
            p = line.split()[-1] if '/' in line else ''
            if 'blas' in os.path.basename(p).lower():
                paths.add(os.path.realpath(p))
    if not paths:
        return 'none found', 'other'
    desc = ', '.join(sorted(paths))
    if 'openblas' in desc.lower():
        return desc, 'openblas'
    if '/blas/' in desc or 'libblas.so' in desc:
        return desc, 'reference'
    return desc, 'other'


if __name__ == '__main__':
    out = {}
    for name, adaent in (('sac', False), ('sac-adaent', True)):
        for h in (64, 256):
            update = make(h, adaent)
            for _ in range(3):
                update()
            n = 50 if not adaent else 5
            times = []
            for _ in range(REPS):
                t0 = time.process_time()
                for _ in range(n):
                    update()
                times.append((time.process_time() - t0) / n * 1000)
            out[f'{name}_{h}'] = statistics.median(times)
    out['blas'], out['blas_kind'] = loaded_blas()
    print(json.dumps(out))
