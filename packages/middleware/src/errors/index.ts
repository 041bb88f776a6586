/// <reference types="node" preserve="true" />
export { type ErrorMaskingOptions, type ErrorMaskingVars, errorMasking } from "./error-masking.js";
