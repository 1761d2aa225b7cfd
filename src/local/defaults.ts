// Why: the old path of common/defaults.ts, for importers outside src/local (extension, debug, deploy, scaffold) until they import common/defaults directly.
export * from "./common/defaults";
