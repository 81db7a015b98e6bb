/**
 * The JavaScript helpers every compiled codec starts with. They are source
 * text, not imported functions, so that they share the codec's closure
 * state (read position, size cache, the two halves of a 64-bit value) as
 * plain local variables, which the JIT keeps in registers and inlines.
 *
 * Parameters of the enclosing factory: `protoInt64`, `decodeUtf8`
 * (protobuf-es's exact UTF-8 decoding, used when a string is not plain
 * ASCII-clean).
 */
export const runtimeSource = String.raw`
"use strict";
// ---- shared state ----------------------------------------------------------
// Size cache: the sizing pass stores nested lengths in pre-order, the write
// pass consumes them in the same order.
const S = [];
let SI = 0;
// The two 32-bit halves (unsigned) of the last 64-bit integer converted.
let LO = 0, HI = 0;
// Decoding input: U is the caller's Uint8Array, B a Buffer view of it.
let U = EMPTY, B = EMPTY_BUFFER, P = 0;
// Buffer's own UTF-8 slice/write (what Buffer#toString and #write end in),
// called directly when present: short strings are common and the public
// wrappers' argument handling costs more than the copy.
const UTF8_SLICE = typeof Buffer.prototype.utf8Slice === "function" ? Buffer.prototype.utf8Slice : undefined;
const UTF8_WRITE = typeof Buffer.prototype.utf8Write === "function" ? Buffer.prototype.utf8Write : undefined;
const F32 = new Float32Array(1), F32B = new Uint8Array(F32.buffer);
const F64 = new Float64Array(1), F64B = new Uint8Array(F64.buffer);

// ---- sizes -------------------------------------------------------------------
function vs32(x) {
  return x < 0x80 ? 1 : x < 0x4000 ? 2 : x < 0x200000 ? 3 : x < 0x10000000 ? 4 : 5;
}
function vs64(lo, hi) {
  return hi === 0 ? vs32(lo) : ((70 - Math.clz32(hi)) / 7) | 0;
}
// Strings up to this many UTF-16 units are measured and written in JS: a
// native call (Buffer.byteLength, utf8Write) costs more than the loop.
const SHORT = 48;
function utf8Len(s) {
  const n = s.length;
  if (n > SHORT) return Buffer.byteLength(s, "utf8");
  let x = 0;
  for (let i = 0; i < n; i++) x |= s.charCodeAt(i);
  if (x < 0x80) return n;
  let l = n;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) { l += 1; continue; }
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) { l += 2; i++; continue; }
    }
    // Three bytes, also for a lone surrogate (written as U+FFFD).
    l += 2;
  }
  return l;
}

// ---- 64-bit conversion -------------------------------------------------------
// i64 / u64 set LO and HI and return true for a bigint in range or a decimal
// string (jstype = JS_STRING, map keys); anything else (numbers, other
// strings BigInt() accepts, values out of range) returns false, and the
// message is left to protobuf-es, which converts it or throws its own error.
// A bigint beyond 2^53 is split through typed-array views (the host is
// little-endian, or no codec is compiled), without allocating.
const I64 = new BigInt64Array(1), U64 = new BigUint64Array(I64.buffer), H32 = new Uint32Array(I64.buffer);
const DECIMAL = /^-?[0-9]{1,20}$/;
function i64(v) {
  if (typeof v !== "bigint") return typeof v === "string" && DECIMAL.test(v) && i64(BigInt(v));
  const n = Number(v);
  if (n <= 9007199254740991 && n >= -9007199254740991) {
    LO = n >>> 0;
    HI = Math.floor(n / 4294967296) >>> 0;
    return true;
  }
  if (v <= 9223372036854775807n && v >= -9223372036854775808n) {
    I64[0] = v;
    LO = H32[0];
    HI = H32[1];
    return true;
  }
  return false;
}
function u64(v) {
  if (typeof v !== "bigint") return typeof v === "string" && DECIMAL.test(v) && u64(BigInt(v));
  const n = Number(v);
  if (n <= 9007199254740991 && n >= 0) {
    LO = n >>> 0;
    HI = Math.floor(n / 4294967296) >>> 0;
    return true;
  }
  if (v <= 18446744073709551615n && v >= 0n) {
    U64[0] = v;
    LO = H32[0];
    HI = H32[1];
    return true;
  }
  return false;
}
function zz64() {
  const sign = (HI | 0) >> 31;
  const lo = ((LO << 1) ^ sign) >>> 0;
  HI = (((HI << 1) | (LO >>> 31)) ^ sign) >>> 0;
  LO = lo;
}

// ---- writing -----------------------------------------------------------------
function wv32(b, p, x) {
  while (x > 0x7f) {
    b[p++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  b[p++] = x;
  return p;
}
function wv64(b, p, lo, hi) {
  while (hi !== 0 || lo > 0x7f) {
    b[p++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  b[p++] = lo;
  return p;
}
function wi32(b, p, x) {
  return x >= 0 ? wv32(b, p, x) : wv64(b, p, x >>> 0, 0xffffffff);
}
function w32(b, p, x) {
  b[p] = x;
  b[p + 1] = x >>> 8;
  b[p + 2] = x >>> 16;
  b[p + 3] = x >>> 24;
  return p + 4;
}
function wf32(b, p, x) {
  F32[0] = x;
  b[p] = F32B[0]; b[p + 1] = F32B[1]; b[p + 2] = F32B[2]; b[p + 3] = F32B[3];
  return p + 4;
}
function wf64(b, p, x) {
  F64[0] = x;
  b[p] = F64B[0]; b[p + 1] = F64B[1]; b[p + 2] = F64B[2]; b[p + 3] = F64B[3];
  b[p + 4] = F64B[4]; b[p + 5] = F64B[5]; b[p + 6] = F64B[6]; b[p + 7] = F64B[7];
  return p + 8;
}
function wstr(b, p, s, l) {
  const n = s.length;
  if (n > SHORT) {
    return p + (UTF8_WRITE !== undefined ? UTF8_WRITE.call(b, s, p, l) : b.write(s, p, l, "utf8"));
  }
  // As many UTF-8 bytes as UTF-16 units: every unit is ASCII.
  if (l === n) {
    for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
    return p + n;
  }
  // Short non-ASCII strings: encode here rather than pay for a native call.
  // A lone surrogate becomes U+FFFD, as TextEncoder and Buffer write it.
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[p++] = c;
    } else if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c < 0xe000) {
        if (c < 0xdc00 && i + 1 < n) {
          const d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d < 0xe000) {
            const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            b[p++] = 0xf0 | (cp >> 18);
            b[p++] = 0x80 | ((cp >> 12) & 0x3f);
            b[p++] = 0x80 | ((cp >> 6) & 0x3f);
            b[p++] = 0x80 | (cp & 0x3f);
            i++;
            continue;
          }
        }
        c = 0xfffd;
      }
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}
function wraw(b, p, d) {
  const n = d.length;
  if (n > 32) {
    b.set(d, p);
    return p + n;
  }
  for (let i = 0; i < n; i++) b[p + i] = d[i];
  return p + n;
}
function sunk(u) {
  let n = 0;
  for (let i = 0; i < u.length; i++) {
    const f = u[i];
    n += vs32(((f.no << 3) | f.wireType) >>> 0) + f.data.length;
  }
  return n;
}
function wunk(b, p, u) {
  for (let i = 0; i < u.length; i++) {
    const f = u[i];
    p = wv32(b, p, ((f.no << 3) | f.wireType) >>> 0);
    p = wraw(b, p, f.data);
  }
  return p;
}

// ---- reading -----------------------------------------------------------------
function rv32() {
  let b = B[P++];
  if (b < 0x80) return b;
  let x = b & 0x7f;
  b = B[P++]; x |= (b & 0x7f) << 7; if (b < 0x80) return x;
  b = B[P++]; x |= (b & 0x7f) << 14; if (b < 0x80) return x;
  b = B[P++]; x |= (b & 0x7f) << 21; if (b < 0x80) return x;
  b = B[P++]; x |= (b & 0x0f) << 28; if (b < 0x80) return x >>> 0;
  // The upper bits of a sign-extended negative int32: skip them.
  for (let i = 0; i < 5; i++) if (B[P++] < 0x80) return x >>> 0;
  throw new Error("invalid varint");
}
function rv64() {
  let lo = 0, hi = 0, b;
  for (let s = 0; s < 28; s += 7) {
    b = B[P++];
    lo |= (b & 0x7f) << s;
    if (b < 0x80) { LO = lo >>> 0; HI = 0; return; }
  }
  b = B[P++];
  lo |= (b & 0x0f) << 28;
  hi = (b & 0x7f) >> 4;
  if (b < 0x80) { LO = lo >>> 0; HI = hi >>> 0; return; }
  for (let s = 3; s <= 31; s += 7) {
    b = B[P++];
    hi |= (b & 0x7f) << s;
    if (b < 0x80) { LO = lo >>> 0; HI = hi >>> 0; return; }
  }
  throw new Error("invalid varint");
}
function r32() {
  const x = B[P] | (B[P + 1] << 8) | (B[P + 2] << 16) | (B[P + 3] << 24);
  P += 4;
  return x;
}
function rf32() {
  F32B[0] = B[P]; F32B[1] = B[P + 1]; F32B[2] = B[P + 2]; F32B[3] = B[P + 3];
  P += 4;
  return F32[0];
}
function rf64() {
  for (let i = 0; i < 8; i++) F64B[i] = B[P + i];
  P += 8;
  return F64[0];
}
function rbool() {
  const b = B[P];
  if (b < 0x80) { P++; return b !== 0; }
  rv64();
  return LO !== 0 || HI !== 0;
}
function unzz64() {
  const s = -(LO & 1);
  const lo = ((LO >>> 1) | (HI << 31)) ^ s;
  HI = ((HI >>> 1) ^ s) >>> 0;
  LO = lo >>> 0;
}
// Signed / unsigned 64-bit value of LO, HI as bigint (protobuf-es's local type).
function sbig() {
  const hi = HI | 0;
  if (hi >= -0x200000 && hi < 0x200000) return BigInt(hi * 4294967296 + LO);
  return protoInt64.dec(LO | 0, hi);
}
function ubig() {
  if (HI < 0x200000) return BigInt(HI * 4294967296 + LO);
  return protoInt64.uDec(LO | 0, HI | 0);
}
function sstr64() {
  const hi = HI | 0;
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * 4294967296 + LO);
  return String(protoInt64.dec(LO | 0, hi));
}
function ustr64() {
  if (HI < 0x200000) return String(HI * 4294967296 + LO);
  return String(protoInt64.uDec(LO | 0, HI | 0));
}
function rfix64() {
  LO = r32() >>> 0;
  HI = r32() >>> 0;
}
function rlen(end) {
  const n = rv32();
  const e = P + n;
  if (e > end) throw new RangeError("premature EOF");
  return e;
}
function rstr(end, strict) {
  const e = rlen(end);
  const s = P;
  P = e;
  const n = e - s;
  if (n <= 8) {
    // Short ASCII: one string allocation, no native call.
    let x = 0;
    for (let i = s; i < e; i++) x |= B[i];
    if (x < 0x80) {
      switch (n) {
        case 0: return "";
        case 1: return String.fromCharCode(B[s]);
        case 2: return String.fromCharCode(B[s], B[s + 1]);
        case 3: return String.fromCharCode(B[s], B[s + 1], B[s + 2]);
        case 4: return String.fromCharCode(B[s], B[s + 1], B[s + 2], B[s + 3]);
        case 5: return String.fromCharCode(B[s], B[s + 1], B[s + 2], B[s + 3], B[s + 4]);
        case 6: return String.fromCharCode(B[s], B[s + 1], B[s + 2], B[s + 3], B[s + 4], B[s + 5]);
        case 7: return String.fromCharCode(B[s], B[s + 1], B[s + 2], B[s + 3], B[s + 4], B[s + 5], B[s + 6]);
        default: return String.fromCharCode(B[s], B[s + 1], B[s + 2], B[s + 3], B[s + 4], B[s + 5], B[s + 6], B[s + 7]);
      }
    }
  }
  const r = UTF8_SLICE !== undefined ? UTF8_SLICE.call(B, s, e) : B.toString("utf8", s, e);
  // Invalid input decodes to U+FFFD, and protobuf-es versions differ on a
  // leading U+FEFF: let protobuf-es's decoder decide (and throw, for strict
  // fields), so both agree code unit for code unit.
  return r.indexOf("\ufffd") === -1 && r.charCodeAt(0) !== 0xfeff ? r : decodeUtf8(U.subarray(s, e), strict);
}
function rbytes(end) {
  const e = rlen(end);
  const s = P;
  P = e;
  return U.subarray(s, e);
}
// Skips the value of an unknown field and returns its bytes (without tag).
function rskip(t, end, budget) {
  const s = P;
  switch (t & 7) {
    case 0: rv64(); break;
    case 1: P += 8; break;
    case 2: P = rlen(end); break;
    case 5: P += 4; break;
    case 3: {
      if (budget <= 0) throw new Error("maximum recursion depth reached");
      for (;;) {
        if (P >= end) throw new Error("invalid end group tag");
        const u = rtag();
        if ((u & 7) === 4) {
          if (u >>> 3 !== t >>> 3) throw new Error("invalid end group tag");
          break;
        }
        rskip(u, end, budget - 1);
      }
      break;
    }
    default: throw new Error("cant skip wire type " + (t & 7));
  }
  if (P > end) throw new RangeError("premature EOF");
  return U.subarray(s, P);
}
// Reads a tag and validates it like protobuf-es's BinaryReader.tag().
function rtag() {
  const s = P;
  const t = rv32();
  if (P - s > 5 || (P - s === 5 && B[P - 1] > 0x0f)) throw new Error("illegal tag: varint overflows uint32");
  if (t >>> 3 === 0 || (t & 7) > 5) throw new Error("illegal tag: field no " + (t >>> 3) + " wire type " + (t & 7));
  return t;
}
function unknown(t, end, depth) {
  return { no: t >>> 3, wireType: t & 7, data: rskip(t, end, 100 - depth) };
}
function closedEnumUnknown(no, v, wireType) {
  const b = new Uint8Array(v < 0 ? 10 : vs32(v));
  wi32(b, 0, v);
  return { no, wireType, data: b };
}
function setKey(r, k, v) {
  if (k === "__proto__") {
    Object.defineProperty(r, k, { value: v, writable: true, enumerable: true, configurable: true });
  } else {
    r[k] = v;
  }
}
function begin(u) {
  U = u;
  B = Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  P = 0;
}
function end() {
  U = EMPTY;
  B = EMPTY_BUFFER;
}
`;
