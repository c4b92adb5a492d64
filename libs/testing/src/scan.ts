import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The byte patterns under which `needle` would appear on disk: raw, and base64/base64url at each of
 * the three alignments it can have inside a longer encoded string (edge characters that depend on
 * neighbouring bytes are dropped).
 */
export function encodedForms(needle: string | Buffer): Buffer[] {
  const raw = Buffer.from(needle);
  const forms = [raw];
  for (const enc of ['base64', 'base64url'] as const) {
    for (let k = 0; k < 3; k++) {
      const s = Buffer.concat([Buffer.alloc(k), raw]).toString(enc).replace(/=+$/, '');
      const skip = Math.ceil((k * 8) / 6);
      forms.push(Buffer.from(s.slice(skip, s.length - 2)));
    }
  }
  return forms;
}

/** Every file under `dir` whose raw bytes contain `needle` in any of its encoded forms. */
export function filesContaining(dir: string, needle: string | Buffer): string[] {
  const forms = encodedForms(needle);
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && forms.some((f) => readFileSync(p).includes(f))) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}
