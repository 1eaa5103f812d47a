#!/usr/bin/env node
// Runs every benchmark in this folder (each prints its own figures and ratios). Build first: npx turbo run build
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const only = process.argv.slice(2);
for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.js') && f !== 'run-all.js').sort()) {
  if (only.length > 0 && !only.some((o) => file.includes(o))) continue;
  console.log(`\n=== ${file} ===`);
  execFileSync(process.execPath, [path.join(__dirname, file)], { stdio: 'inherit' });
}
