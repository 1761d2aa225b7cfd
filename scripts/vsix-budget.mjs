// Why: holds the .vsix to its budget (scripts/test-vsix.sh): at most 10 MB and 500 files, read from the zip's own directory (no unzip needed).
//
//   node scripts/vsix-budget.mjs dist/azure-batch-manager-<version>.vsix   → prints "vsix: <bytes> bytes, <files> files"; exit 1 over budget
import * as fs from "node:fs";

const MAX_BYTES = 10_000_000;
const MAX_FILES = 500;

const file = process.argv[2];
const zip = fs.readFileSync(file);
// the end-of-central-directory record: signature 0x06054b50, the total number of entries at offset 10 (the zip comment may follow it)
const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
if (end < 0) throw new Error(`${file} is not a zip file`);
const files = zip.readUInt16LE(end + 10);
console.log(`vsix: ${zip.length} bytes, ${files} files (budget ${MAX_BYTES} bytes, ${MAX_FILES} files)`);
const problems = [];
if (zip.length > MAX_BYTES) problems.push(`${zip.length} bytes is over ${MAX_BYTES}`);
if (files > MAX_FILES) problems.push(`${files} files is over ${MAX_FILES}`);
if (problems.length > 0) {
  console.error(`the .vsix is over its budget: ${problems.join("; ")} (see scripts/stage-vsix.mjs for what it ships)`);
  process.exit(1);
}
