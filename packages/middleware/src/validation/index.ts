/// <reference types="node" preserve="true" />
export { type SanitizeFilenameOptions, sanitizeFilename } from "./filename.js";
export { escapeHtml, stripHtml } from "./html.js";
export { resolveInRoot } from "./paths.js";
export { type ValidateUrlOptions, validateUrl } from "./url.js";
export { type ValidationOptions, type ValidationPolicy, validation } from "./validation.js";
