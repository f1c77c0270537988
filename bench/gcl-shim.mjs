// gitlab-ci-local's Node bundle calls Set.prototype.union (Node 22+); this repo runs Node 20.
// A minimal stand-in so the comparison can run at all; it changes none of its work.
if (typeof Set.prototype.union !== "function") {
  Object.defineProperty(Set.prototype, "union", {
    value(other) {
      const out = new Set(this);
      for (const v of other.keys()) out.add(v);
      return out;
    },
    writable: true,
    configurable: true,
  });
}
