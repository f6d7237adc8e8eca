// How a worker hands the engine's view of each event (engineView) to the main thread without
// JSON: the values go into one Float64Array (strings as indices into a per-chunk string table)
// and each event names its shape — its keys, nesting and value kinds. The main thread compiles one
// small function per shape that rebuilds the object with a literal (the engine then sees objects of
// a few stable hidden classes), so no text is parsed a second time. Same keys, same order, same values.

const SEP = '\u0001';
const UNSAFE_KEY = /[\u0000-\u001f{}]/;
/** Keys already checked (object keys repeat, so one lookup instead of a regex test per key). */
const safeKeys = new Map<string, boolean>();

function safeKey(k: string): boolean {
  let ok = safeKeys.get(k);
  if (ok === undefined) {
    ok = !UNSAFE_KEY.test(k) && k !== '__proto__';
    if (safeKeys.size < 10_000) safeKeys.set(k, ok);
  }
  return ok;
}

/** Builds the value stream, string table and shape list of one chunk. */
export class ShapeEncoder {
  readonly nums: number[] = [];
  readonly strs: string[] = [];
  readonly shapes: string[] = [];
  private readonly strIndex = new Map<string, number>();
  private readonly shapeIndex = new Map<string, number>();

  /** Adds `o` without its top-level keys in `skip` (the engine's unread fields: no copy of the event). */
  add(o: object, skip?: Readonly<Record<string, true | undefined>>): void {
    const at = this.nums.length;
    this.nums.push(0);
    const sig = this.sig(o as Record<string, unknown>, skip);
    let id = this.shapeIndex.get(sig);
    if (id === undefined) {
      id = this.shapes.push(sig) - 1;
      this.shapeIndex.set(sig, id);
    }
    this.nums[at] = id;
  }

  private str(s: string): number {
    let i = this.strIndex.get(s);
    if (i === undefined) {
      i = this.strs.push(s) - 1;
      this.strIndex.set(s, i);
    }
    return i;
  }

  /** The shape text of `o` (its values pushed); a key the shape text cannot hold sends `o` as JSON. */
  private sig(o: Record<string, unknown>, skip?: Readonly<Record<string, true | undefined>>): string {
    for (const k in o) if (!safeKey(k)) return this.json(skip ? pick(o, skip) : o);
    let sig = '';
    for (const k in o) if (skip?.[k] !== true) sig += k + SEP + this.kind(o[k]) + SEP;
    return sig;
  }

  private json(o: unknown): string {
    this.nums.push(this.str(JSON.stringify(o)));
    return 'J';
  }

  private kind(v: unknown): string {
    switch (typeof v) {
      case 'string':
        this.nums.push(this.str(v));
        return 's';
      case 'number':
        this.nums.push(v);
        return 'n';
      case 'boolean':
        return v ? 'T' : 'F';
      case 'object':
        if (v === null) return 'z';
        if (Array.isArray(v)) {
          if (!v.every((x) => typeof x === 'string')) return this.json(v);
          this.nums.push(v.length);
          for (const x of v) this.nums.push(this.str(x as string));
          return 'A';
        }
        {
          const inner = this.sig(v as Record<string, unknown>);
          return inner === 'J' ? inner : `{${inner}}`;
        }
      default:
        return this.json(v);
    }
  }
}

function pick(o: Record<string, unknown>, skip: Readonly<Record<string, true | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) if (skip[k] !== true) out[k] = o[k];
  return out;
}

type Build = (n: Float64Array, s: string[], r: { p: number }) => Record<string, unknown>;

function strings(n: Float64Array, s: string[], from: number, count: number): string[] {
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = s[n[from + i]!]!;
  return out;
}

/** JavaScript of an object literal for the shape text starting at `pos`; returns the end position. */
function literal(sig: string, pos: number, out: string[]): number {
  out.push('{');
  while (pos < sig.length && sig[pos] !== '}') {
    const k = sig.indexOf(SEP, pos);
    const key = sig.slice(pos, k);
    out.push(`${JSON.stringify(key)}:`);
    pos = k + 1;
    const kind = sig[pos]!;
    if (kind === '{') {
      pos = literal(sig, pos + 1, out) + 1; // past '}'
    } else {
      pos++;
      if (kind === 's') out.push('s[n[p++]]');
      else if (kind === 'n') out.push('n[p++]');
      else if (kind === 'T') out.push('true');
      else if (kind === 'F') out.push('false');
      else if (kind === 'z') out.push('null');
      else if (kind === 'A') out.push('(l = n[p], a = strings(n, s, p + 1, l), p += l + 1, a)');
      else out.push('JSON.parse(s[n[p++]])');
    }
    pos++; // the separator after the kind
    out.push(',');
  }
  out.push('}');
  return pos;
}

const builds = new Map<string, Build>();

function compile(sig: string): Build {
  let build = builds.get(sig);
  if (!build) {
    let body: string;
    if (sig === 'J') body = 'const o = JSON.parse(s[n[p++]]);';
    else {
      const out: string[] = [];
      literal(sig, 0, out);
      body = `let l, a; const o = ${out.join('')};`;
    }
    build = new Function('strings', `return function (n, s, r) { let p = r.p; ${body} r.p = p; return o; };`)(strings) as Build;
    builds.set(sig, build);
  }
  return build;
}

/** The objects of one chunk, rebuilt from its value stream, string table and shapes. */
export function decodeShapes(nums: Float64Array, strs: string[], shapes: string[]): unknown[] {
  const fns = shapes.map(compile);
  const out: unknown[] = [];
  const r = { p: 0 };
  while (r.p < nums.length) {
    const fn = fns[nums[r.p++]!]!;
    out.push(fn(nums, strs, r));
  }
  return out;
}
