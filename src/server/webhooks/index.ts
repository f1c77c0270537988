/** Receiving Git host webhooks: authenticate, then translate into GitHub's event shapes. Pure. */
export type { Delivery, Forge, NormalizedEvent, Verified, VerifiedDelivery } from "./types.ts";
export { verifyDelivery } from "./verify.ts";
export { normalizeEvent } from "./normalize.ts";
export { deliveryKey } from "./delivery-key.ts";
export { hmacHex } from "./signature.ts";
