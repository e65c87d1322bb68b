// The same tab skeleton as a service page, below the layout that answers a missing name with a 404.
export { default } from "../../services/[name]/loading";
