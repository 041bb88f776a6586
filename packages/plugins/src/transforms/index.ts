export {
  checkToolTransforms,
  type ToolFilter,
  type ToolTransform,
  type ToolTransforms,
  type TransformedTool,
  transformTool,
} from "./transforms.js";
