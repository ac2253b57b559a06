/**
 * JSON.parse, refusing what it silently accepts: a key twice in one object (JSON.parse keeps the
 * last, another reader may keep the first, so two readers of one audit line could see different
 * entries) and a value that is not an object. Throws with the reason.
 */
export function parseStrictObject(text: string): Record<string, unknown> {
  const value = JSON.parse(text) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SyntaxError('not a JSON object');
  const dup = duplicateKey(text);
  if (dup !== null) throw new SyntaxError(`duplicate key ${JSON.stringify(dup.slice(0, 40))}`);
  return value as Record<string, unknown>;
}

/**
 * The first key that appears twice in one object of `text`, or null. `text` must be valid JSON
 * (parse it first): this only tracks strings, braces, brackets, commas and colons. Keys are
 * compared after unescaping, as JSON.parse compares them (`"a"` and `"\u0061"` are the same key).
 */
export function duplicateKey(text: string): string | null {
  // One frame per open container: the keys seen so far for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      const keys = stack.at(-1);
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack.at(-1) instanceof Set;
    }
  }
  return null;
}
