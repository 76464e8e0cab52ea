// Pure version comparison, apart from use-auto-update.ts so unit tests need not load the PWA plugin's virtual module.

function parse(v: string): number[] | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** Server version newer than the bundle? Unparseable versions fall back to "differs". */
export function isNewerVersion(server: string | null | undefined, current: string): boolean {
  if (!server || server === current) return false;
  const a = parse(server);
  const b = parse(current);
  if (!a || !b) return true;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}
