// Why: the old path of common/logger.ts, for importers outside src/local (extension, debug) until they import common/logger directly.
export * from "./common/logger";
