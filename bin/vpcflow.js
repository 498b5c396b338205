#!/usr/bin/env node
// `npx vpcflow ...`: the bundled CLI (built by `npm run build` into dist/cli.js).
'use strict';
const path = require('path');
const fs = require('fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('vpcflow: dist/cli.js is missing; run `npm install && npm run build` first.\n');
  process.exit(1);
}
require(cli);
