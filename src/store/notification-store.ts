/** Notification channels and rules, and the persistent outbox of deliveries. */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NotificationStore {}
