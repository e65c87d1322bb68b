export { UserMenu, type UserMenuProps } from "./user-menu";
export { SignInButton } from "./sign-in-button";
