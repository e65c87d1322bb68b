export { UserMenu, type UserMenuProps } from "./user-menu";
export { SignInButton } from "./sign-in-button";
export { SlipwayWordmark } from "./slipway-wordmark";
export { csrfFetch, requestJson, problemMessage, ApiProblem } from "./csrf-fetch";
