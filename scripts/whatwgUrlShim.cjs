// Why: what the .vsix bundles get for `whatwg-url` (scripts/stage-vsix.mjs): its only importer, node-fetch 2 (under @azure/ms-rest-js), uses
// it only where Node has no URL class (`Url.URL || whatwgUrl.URL`), and Node 20 has one; the real package brings 260 KB of Unicode tables per bundle.
module.exports = { URL: require("node:url").URL, URLSearchParams: require("node:url").URLSearchParams };
