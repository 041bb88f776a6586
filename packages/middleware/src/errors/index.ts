export { type ErrorMaskingOptions, type ErrorMaskingVars, errorMasking } from "./error-masking.js";
