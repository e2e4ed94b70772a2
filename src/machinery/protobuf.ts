// Protocol Buffers wire format, encode side only (https://protobuf.dev/programming-guides/encoding/):
// enough to write proto3 messages field by field. A message is a list of encoded fields; proto3 leaves out
// fields holding their zero value, so the writers below return nothing for "", false, 0 and empty lists.

/** One or more encoded fields. */
export type Fields = Uint8Array[];

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;

/** Base-128 varint of a non-negative integer (negative int64 values take ten bytes, two's complement). */
export function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(out);
}

const key = (field: number, wireType: number) => varint((field << 3) | wireType);

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return concat([key(field, WIRE_LENGTH_DELIMITED), varint(payload.length), payload]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bytes of a message made of `fields`. */
export const message = (fields: Fields): Uint8Array => concat(fields);

export function stringField(field: number, value: string | undefined): Fields {
  return value ? [lengthDelimited(field, new TextEncoder().encode(value))] : [];
}

export function repeatedString(field: number, values: readonly string[] | undefined): Fields {
  return (values ?? []).map((v) => lengthDelimited(field, new TextEncoder().encode(v)));
}

export function boolField(field: number, value: boolean | undefined): Fields {
  return value ? [concat([key(field, WIRE_VARINT), varint(1)])] : [];
}

/** A bool member of a oneof: written even when false, since setting the member is what selects it. */
export function oneofBool(field: number, value: boolean): Fields {
  return [concat([key(field, WIRE_VARINT), varint(value ? 1 : 0)])];
}

export function int64Field(field: number, value: number | undefined): Fields {
  return value ? [concat([key(field, WIRE_VARINT), varint(Math.trunc(value))])] : [];
}

export function doubleField(field: number, value: number | undefined): Fields {
  if (!value) return [];
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return [concat([key(field, WIRE_FIXED64), bytes])];
}

/** An embedded message; present (even when empty) whenever `fields` is given. */
export function messageField(field: number, fields: Fields | undefined): Fields {
  return fields ? [lengthDelimited(field, message(fields))] : [];
}

export function repeatedMessage(field: number, items: readonly Fields[]): Fields {
  return items.map((fields) => lengthDelimited(field, message(fields)));
}
