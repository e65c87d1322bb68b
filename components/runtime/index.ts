export { RuntimeView } from "./runtime-view";
