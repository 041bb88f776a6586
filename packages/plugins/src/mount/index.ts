export { type MountHandle, type MountOptions, mount } from "./mount.js";
export { prefixUri, unprefixUri } from "./uris.js";
