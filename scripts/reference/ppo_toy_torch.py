#!/usr/bin/python3
# An independent check of the lab's PPO on the toy (docs/findings.md): the spec's PPO (Tianshou 0.5.0
# settings, spec/algorithms.md) in plain PyTorch, with the toy of spec/environments.md.
# usage: /usr/bin/python3 scripts/reference/ppo_toy_torch.py SEED STEPS LR [NORMADV 0|1]
# env: CS=1 state-conditioned sigma head (reference) | CS=0 state-independent log sigma starting at LS0 (-2);
#      ROLL rollout steps (2048), MB minibatch (64), EPOCHS passes (10). Needs python3-torch (Debian).
# Prints, every 5 rollouts: deterministic and stochastic evaluation return (10 episodes each) and
# mu, sigma at s0 and s1.
import sys, numpy as np, torch, torch.nn as nn
seed = int(sys.argv[1]); total = int(sys.argv[2]); lr = float(sys.argv[3])
normadv = len(sys.argv) > 4 and sys.argv[4] == '1'
import os
CS = os.environ.get('CS','1')=='1'; LS0=float(os.environ.get('LS0','-2')); MB=int(os.environ.get('MB','64')); ROLL=int(os.environ.get('ROLL','2048')); EPOCHS=int(os.environ.get('EPOCHS','10'))
torch.manual_seed(seed); np.random.seed(seed)
torch.set_num_threads(1)

def step(s, a):
    if s == 0: return (2 if a > 0 else 1), 0.0, False
    if s == 1: return (3 if -0.1 < a < 0.1 else 4), (1.0 if -0.1 < a < 0.1 else -20.0), True
    return 5, -1.0, True

def onehot(s):
    x = np.zeros(6, np.float32); x[s] = 1; return x

def mlp(out):
    return nn.Sequential(nn.Linear(6, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, out))
actor = mlp(2); critic = mlp(1)
for m in list(actor.modules()) + list(critic.modules()):
    if isinstance(m, nn.Linear):
        nn.init.orthogonal_(m.weight, gain=np.sqrt(2)); nn.init.zeros_(m.bias)
# tianshou has separate mu and sigma heads; re-init them separately
mu_head = nn.Linear(64, 1); sg_head = nn.Linear(64, 1)
for h in (mu_head, sg_head):
    nn.init.orthogonal_(h.weight, gain=np.sqrt(2)); nn.init.zeros_(h.bias)
mu_head.weight.data *= 0.01
body = nn.Sequential(*list(actor.children())[:4])
log_std = nn.Parameter(torch.full((1,), LS0))
params = ([] if CS else [log_std]) + list(body.parameters()) + list(mu_head.parameters()) + list(sg_head.parameters()) + list(critic.parameters())
opt = torch.optim.Adam(params, lr=lr)

def dist(x):
    h = body(x)
    mu = mu_head(h); sigma = torch.exp(torch.clamp(sg_head(h), -20, 2)) if CS else torch.exp(log_std).expand_as(mu)
    return torch.distributions.Independent(torch.distributions.Normal(mu, sigma), 1)

def evaluate(det, n=10):
    tot = 0
    for _ in range(n):
        s = 0; R = 0
        while True:
            with torch.no_grad():
                d = dist(torch.tensor(onehot(s))[None])
                a = d.base_dist.loc.item() if det else d.sample().item()
            s, r, term = step(s, a); R += r
            if term: break
        tot += R
    return tot / n

s = 0; steps = 0; log = []
while steps < total:
    O, A, R, O2, T = [], [], [], [], []
    for _ in range(ROLL):
        with torch.no_grad(): a = dist(torch.tensor(onehot(s))[None]).sample().item()
        s2, r, term = step(s, a)
        O.append(onehot(s)); A.append([a]); R.append(r); O2.append(onehot(s2)); T.append(term)
        s = 0 if term else s2
    steps += ROLL
    O = torch.tensor(np.array(O)); A = torch.tensor(np.array(A, np.float32)); R = np.array(R, np.float32)
    O2 = torch.tensor(np.array(O2)); T = np.array(T, np.float32)
    with torch.no_grad(): logp_old = dist(O).log_prob(A)
    for ep in range(EPOCHS):
        with torch.no_grad():
            v = critic(O).flatten().numpy(); v2 = critic(O2).flatten().numpy()
        adv = np.zeros(ROLL, np.float32); nxt = 0
        for t in range(ROLL-1, -1, -1):
            delta = R[t] + 0.99 * v2[t] * (1 - T[t]) - v[t]
            nxt = delta + 0.99 * 0.95 * (1 - T[t]) * nxt
            adv[t] = nxt
        ret = torch.tensor(adv + v); advt = torch.tensor(adv)
        perm = np.random.permutation(ROLL)
        for i in range(0, ROLL, MB):
            idx = perm[i:i + MB]
            b_adv = advt[idx]
            if normadv: b_adv = (b_adv - b_adv.mean()) / (b_adv.std() + 1e-8)
            d = dist(O[idx]); ratio = (d.log_prob(A[idx]) - logp_old[idx]).exp()
            surr = -torch.min(ratio * b_adv, ratio.clamp(0.8, 1.2) * b_adv).mean()
            vf = (ret[idx] - critic(O[idx]).flatten()).pow(2).mean()
            loss = surr + 0.25 * vf
            opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(params, 0.5); opt.step()
    with torch.no_grad():
        h = dist(torch.tensor(np.stack([onehot(0), onehot(1)])))
        mu = h.base_dist.loc.flatten().tolist(); sd = h.base_dist.scale.flatten().tolist()
    if (steps // ROLL) % 5 == 0 or steps >= total:
        print(f'seed {seed} step {steps} det {evaluate(True):.2f} sto {evaluate(False):.2f} mu0 {mu[0]:.3f} sd0 {sd[0]:.3f} mu1 {mu[1]:.3f} sd1 {sd[1]:.3f}', flush=True)
