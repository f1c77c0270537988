/** Why a parked run's signal aborts: the server stops while every live job of the run waits for a review. */
export const PARKED = "parked: the server stopped while the run waited for a review";
