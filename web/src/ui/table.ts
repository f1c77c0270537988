// Keyed row updates for tables that refresh every second: rows whose data did not change are left
// alone, so hover states, focus and CSS animations survive the refresh.

export function reconcileRows<T>(
  body: HTMLElement,
  items: T[],
  key: (item: T) => string,
  signature: (item: T) => string,
  render: (item: T) => HTMLElement,
): void {
  const old = new Map<string, HTMLElement>();
  for (const child of Array.from(body.children) as HTMLElement[]) {
    const k = child.dataset["key"];
    if (k !== undefined) old.set(k, child);
  }
  const wanted = items.map((item) => {
    const k = key(item);
    const sig = signature(item);
    const row = old.get(k);
    if (row && row.dataset["sig"] === sig) return row;
    const fresh = render(item);
    fresh.dataset["key"] = k;
    fresh.dataset["sig"] = sig;
    return fresh;
  });
  wanted.forEach((row, i) => {
    const at = body.children[i] ?? null;
    if (at !== row) body.insertBefore(row, at);
  });
  // Everything after the wanted rows is stale: replaced or gone from the list.
  while (body.children.length > wanted.length) body.lastElementChild?.remove();
}
