import "server-only";

/** The header the custom server sets to the TCP peer address (it drops any value a client sent). */
export const clientIpHeader = "x-slipway-client-ip";
