import type { CheckRule } from "../types.js";
import { destructiveWithoutHint } from "./destructive-without-hint.js";
import { duplicateTitle } from "./duplicate-title.js";
import { nameCharacters } from "./name-characters.js";
import { nameTooLong } from "./name-too-long.js";
import { noEval } from "./no-eval.js";
import { noNewFunction } from "./no-new-function.js";
import { noShellExec } from "./no-shell-exec.js";
import { noVm } from "./no-vm.js";
import { outputSchemaMissing } from "./output-schema-missing.js";
import { parameterDescription } from "./parameter-description.js";
import { promptDescription } from "./prompt-description.js";
import { resourceDescription } from "./resource-description.js";
import { toolDescription } from "./tool-description.js";
import { unboundedArray } from "./unbounded-array.js";
import { unboundedNumber } from "./unbounded-number.js";
import { unboundedString } from "./unbounded-string.js";

/** Every rule `checkServer` runs, in report order. */
export const RULES: readonly CheckRule[] = [
  toolDescription,
  promptDescription,
  resourceDescription,
  parameterDescription,
  unboundedString,
  unboundedArray,
  unboundedNumber,
  destructiveWithoutHint,
  nameTooLong,
  nameCharacters,
  duplicateTitle,
  outputSchemaMissing,
  noEval,
  noNewFunction,
  noShellExec,
  noVm,
];
