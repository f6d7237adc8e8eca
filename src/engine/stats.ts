// Small statistics shared by the detectors and the fleet correlator: how likely a count is by
// chance. Pure functions, no state.

/** P(X >= k), X ~ Binomial(n, p), summed in log space from k up (terms shrink fast for small p). */
export function binomialTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let logC = 0;
  for (let i = 0; i < k; i++) logC += Math.log(n - i) - Math.log(i + 1);
  let term = Math.exp(logC + k * Math.log(p) + (n - k) * Math.log1p(-p));
  let sum = 0;
  for (let i = k; i <= n && term > 0; i++) {
    sum += term;
    if (term < sum * 1e-12) break;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.min(1, sum);
}

/**
 * P(X >= k), X ~ Binomial(n, p), for counts that need not be whole (the engine's decayed
 * counters): the regularized incomplete beta I_p(k, n - k + 1), which is binomialTail() at whole
 * n and k and moves smoothly in between.
 */
export function binomialTailReal(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return Math.min(1, Math.max(0, incompleteBeta(k, n - k + 1, p)));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7; reflection below 0.5). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0]!;
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized incomplete beta I_x(a, b), a, b > 0, 0 < x < 1 (continued fraction, modified Lentz). */
function incompleteBeta(a: number, b: number, x: number): number {
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // the fraction converges fast on this side of the mean; the other side by symmetry
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

function betaFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const fix = (v: number): number => (Math.abs(v) < TINY ? TINY : v);
  let c = 1;
  let d = 1 / fix(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 / fix(1 + aa * d);
    c = fix(1 + aa / c);
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 / fix(1 + aa * d);
    c = fix(1 + aa / c);
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** P(N >= k), N ~ Poisson(mu): 1 minus the terms below k when mu reaches k, else the terms from k
 * up, the first one in log space (they shrink from there; exp(-mu) alone would underflow). */
export function poissonTail(k: number, mu: number): number {
  if (k <= 0) return 1;
  if (mu >= k) {
    let term = Math.exp(-mu);
    let below = 0;
    for (let j = 0; j < k; j++) {
      below += term;
      term *= mu / (j + 1);
    }
    return Math.max(0, 1 - below);
  }
  let log = -mu + k * Math.log(mu);
  for (let j = 2; j <= k; j++) log -= Math.log(j);
  let term = Math.exp(log);
  let sum = 0;
  for (let j = k; term > sum * 1e-12; j++) {
    sum += term;
    term *= mu / (j + 1);
  }
  return Math.min(1, sum);
}
