#!/usr/bin/env node
// Writes <Name>.abi and <Name>.bin for each named contract from forge's build output, the input
// web3j's SolidityFunctionWrapperGenerator reads. Usage: export-abi.js <forge-out> <dest> <Name>...
'use strict';
const fs = require('fs');
const path = require('path');

const [outDir, destDir, ...names] = process.argv.slice(2);
if (!outDir || !destDir || names.length === 0) {
  process.stderr.write('usage: export-abi.js <forge-out> <dest> <ContractName>...\n');
  process.exit(2);
}
fs.mkdirSync(destDir, { recursive: true });
for (const name of names) {
  const artifact = path.join(outDir, name + '.sol', name + '.json');
  const json = JSON.parse(fs.readFileSync(artifact, 'utf8'));
  const bin = (json.bytecode && json.bytecode.object) || '';
  if (!bin || bin === '0x') throw new Error(name + ': no bytecode in ' + artifact);
  fs.writeFileSync(path.join(destDir, name + '.abi'), JSON.stringify(json.abi));
  fs.writeFileSync(path.join(destDir, name + '.bin'), bin.replace(/^0x/, ''));
}
